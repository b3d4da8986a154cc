-- The lifecycle event log: every state change of a lead or rep appends a row in the transaction that makes it.
-- tx is the writing transaction's id: ids are handed out before commit, so transactions commit out of id order,
-- and a reader that follows (tx, id) and reads only below the oldest running transaction never skips a row.
CREATE TABLE lifecycle_event (
    id             bigserial PRIMARY KEY,
    tx             xid8 NOT NULL DEFAULT pg_current_xact_id(),
    type           text NOT NULL CHECK (type IN ('lead.created', 'lead.offered', 'lead.offer_expired', 'lead.declined',
                       'lead.assigned', 'lead.requeued', 'lead.held', 'lead.escalated', 'lead.taken_back', 'lead.closed',
                       'rep.status_changed', 'rep.updated', 'policy.published')),
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    lead_id        uuid,
    rep_id         text,
    team           text,
    policy_version integer,
    data           jsonb NOT NULL DEFAULT '{}',
    CHECK ((type LIKE 'lead.%') <= (lead_id IS NOT NULL AND team IS NOT NULL)),
    CHECK ((type LIKE 'rep.%') <= (rep_id IS NOT NULL)),
    CHECK ((type = 'policy.published') <= (policy_version IS NOT NULL))
);
-- the feed's order
CREATE INDEX lifecycle_event_feed ON lifecycle_event (tx, id);
-- a lead's history, and the manager events of a lead
CREATE INDEX lifecycle_event_lead ON lifecycle_event (lead_id, id) WHERE lead_id IS NOT NULL;
-- what managers are told, newest first
CREATE INDEX lifecycle_event_manager ON lifecycle_event (id DESC)
    WHERE type IN ('lead.held', 'lead.escalated', 'lead.taken_back');

-- the manager events recorded so far become events of the log, in their order
INSERT INTO lifecycle_event (type, occurred_at, lead_id, rep_id, team, data)
SELECT CASE kind WHEN 'HELD' THEN 'lead.held' WHEN 'ESCALATED' THEN 'lead.escalated' ELSE 'lead.taken_back' END,
       created_at, lead_id, rep_id, team, jsonb_build_object('reason', reason)
FROM routing_event ORDER BY id;

DROP TABLE routing_event;
