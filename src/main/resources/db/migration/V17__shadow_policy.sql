-- A candidate policy published as a shadow: every live decision is also computed under it, without acting.

-- every PUT is a new version; the highest is the shadow unless it was stopped (DELETE)
CREATE TABLE shadow_policy (
    version    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document   jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    stopped_at timestamptz
);

-- one row per live decision made while a shadow was published, in the decision's transaction
CREATE TABLE shadow_decision (
    id             bigserial PRIMARY KEY,
    lead_id        uuid NOT NULL REFERENCES lead (id),
    attempt        integer NOT NULL,
    team           text NOT NULL,
    -- the live decision's kind: OFFER, PULL, HELD or NO_MATCH
    kind           text NOT NULL,
    live_rep_id    text,
    live_tier      integer,
    shadow_rep_id  text,
    shadow_tier    integer,
    agreed         boolean NOT NULL,
    lead_value     numeric,
    policy_version integer NOT NULL,
    shadow_version integer NOT NULL REFERENCES shadow_policy (version),
    -- the shadow's best few candidates: [{"repId", "score"}]
    candidates     jsonb NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shadow_decision_created ON shadow_decision (created_at, team);
-- the shadow's own fairness: who would have got a lead other than live routing gave it, read at every shadow decision
CREATE INDEX shadow_decision_disagreed ON shadow_decision (shadow_version, team, created_at) WHERE NOT agreed;

ALTER TABLE lifecycle_event DROP CONSTRAINT lifecycle_event_type_check;
ALTER TABLE lifecycle_event ADD CONSTRAINT lifecycle_event_type_check CHECK (type IN ('lead.created', 'lead.offered',
    'lead.offer_expired', 'lead.declined', 'lead.assigned', 'lead.requeued', 'lead.held', 'lead.escalated',
    'lead.taken_back', 'lead.closed', 'lead.updated', 'lead.unrouted', 'lead.duplicate', 'rep.status_changed',
    'rep.updated', 'rep.tokens_revoked', 'policy.published', 'webhook.disabled', 'rep.paused', 'rep.resumed', 'policy.shadow_published',
    'policy.shadow_stopped'));
