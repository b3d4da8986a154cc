-- Routing policy as data, lead rules and fallback state, events for managers.

-- every PUT is a new version; the highest is in force
CREATE TABLE routing_policy (
    version    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document   jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- priority = base_priority + aging; the rules set base_priority, load_points, tiers and skills at intake
ALTER TABLE lead ADD COLUMN base_priority integer;
UPDATE lead SET base_priority = priority;
ALTER TABLE lead ALTER COLUMN base_priority SET NOT NULL;
ALTER TABLE lead ADD COLUMN tiers integer[] NOT NULL DEFAULT '{}';
-- criteria relaxed by the fallback chain or an escalation (TERRITORY, LANGUAGE, SKILLS, TIER)
ALTER TABLE lead ADD COLUMN relaxed text[] NOT NULL DEFAULT '{}';
ALTER TABLE lead ADD COLUMN policy_version integer NOT NULL DEFAULT 0;
ALTER TABLE lead ADD COLUMN held_at timestamptz;
ALTER TABLE lead ADD COLUMN escalated_at timestamptz;
ALTER TABLE lead ADD CONSTRAINT lead_held_at CHECK ((status = 'HELD') = (held_at IS NOT NULL)) NOT VALID;
UPDATE lead SET held_at = updated_at WHERE status = 'HELD';
ALTER TABLE lead VALIDATE CONSTRAINT lead_held_at;
CREATE INDEX lead_held ON lead (held_at) WHERE status = 'HELD';
CREATE INDEX lead_assigned ON lead (assigned_at) WHERE status = 'ASSIGNED';

ALTER TABLE decision ADD COLUMN policy_version integer NOT NULL DEFAULT 0;
ALTER TABLE decision DROP CONSTRAINT decision_kind_check;
ALTER TABLE decision ADD CONSTRAINT decision_kind_check
    CHECK (kind IN ('OFFER', 'PULL', 'NO_MATCH', 'HELD', 'TAKEN_BACK'));

-- what managers are told: escalations, leads put in the holding pool, untended leads taken back
CREATE TABLE routing_event (
    id         bigserial PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('HELD', 'ESCALATED', 'TAKEN_BACK')),
    lead_id    uuid NOT NULL REFERENCES lead (id),
    team       text NOT NULL,
    rep_id     text,
    reason     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routing_event_created ON routing_event (created_at DESC, id DESC);
