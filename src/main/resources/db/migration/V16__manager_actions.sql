-- manager actions: a lead assigned by hand is a MANUAL decision (its trace says by whom, why, forced or not, from whom)
ALTER TABLE decision DROP CONSTRAINT decision_kind_check;
ALTER TABLE decision ADD CONSTRAINT decision_kind_check
    CHECK (kind IN ('OFFER', 'PULL', 'NO_MATCH', 'HELD', 'TAKEN_BACK', 'MANUAL'));
-- a paused rep is offered nothing and cannot pull, and keeps its assigned leads; who paused it and why are kept with it
ALTER TABLE rep ADD COLUMN paused_at timestamptz;
ALTER TABLE rep ADD COLUMN paused_by text CHECK (length(paused_by) <= 200);
ALTER TABLE rep ADD COLUMN paused_reason text CHECK (length(paused_reason) <= 500);
ALTER TABLE rep ADD CONSTRAINT rep_paused_check CHECK ((paused_at IS NULL) = (paused_by IS NULL));
-- rep.paused and rep.resumed join the feed
ALTER TABLE lifecycle_event DROP CONSTRAINT lifecycle_event_type_check;
ALTER TABLE lifecycle_event ADD CONSTRAINT lifecycle_event_type_check CHECK (type IN ('lead.created', 'lead.offered',
    'lead.offer_expired', 'lead.declined', 'lead.assigned', 'lead.requeued', 'lead.held', 'lead.escalated',
    'lead.taken_back', 'lead.closed', 'lead.updated', 'lead.unrouted', 'lead.duplicate', 'rep.status_changed',
    'rep.updated', 'rep.tokens_revoked', 'policy.published', 'webhook.disabled', 'rep.paused', 'rep.resumed'));
-- declines by rep and reason (the rep's decline stats, the lead's declines)
CREATE INDEX offer_rep_declined ON offer (rep_id, resolved_at) WHERE state = 'DECLINED';
-- a console session opened with an admin key may do the manager actions from the console; any other only reads
ALTER TABLE console_session ADD COLUMN admin boolean NOT NULL DEFAULT false;
