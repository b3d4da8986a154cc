-- Webhook endpoints follow the lifecycle event log, each from its own stored cursor, one replica at a time (a lease).
CREATE TABLE webhook_endpoint (
    id               uuid PRIMARY KEY,
    url              text NOT NULL,
    description      text,
    types            text[] NOT NULL CHECK (cardinality(types) > 0),
    secret           text NOT NULL,
    previous_secret  text,
    previous_until   timestamptz,
    enabled          boolean NOT NULL DEFAULT true,
    disabled_reason  text,
    cursor_tx        xid8 NOT NULL,
    cursor_id        bigint NOT NULL,
    -- failed attempts at the event after the cursor; later events wait behind it
    failures         integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    lease_owner      uuid,
    lease_until      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((previous_secret IS NULL) = (previous_until IS NULL)),
    CHECK (enabled OR disabled_reason IS NOT NULL),
    CHECK ((lease_owner IS NULL) = (lease_until IS NULL))
);
CREATE INDEX webhook_endpoint_due ON webhook_endpoint (next_attempt_at) WHERE enabled;

CREATE TABLE webhook_delivery (
    id            bigserial PRIMARY KEY,
    endpoint_id   uuid NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    event_id      bigint NOT NULL,
    event_type    text NOT NULL,
    attempt       integer NOT NULL CHECK (attempt > 0),
    outcome       text NOT NULL CHECK (outcome IN ('DELIVERED', 'FAILED')),
    http_status   integer,
    latency_ms    integer NOT NULL CHECK (latency_ms >= 0),
    error         text,
    response      text,
    attempted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint_id, id DESC);

-- an endpoint given up on is something a manager acts on
ALTER TABLE lifecycle_event DROP CONSTRAINT lifecycle_event_type_check;
ALTER TABLE lifecycle_event ADD CONSTRAINT lifecycle_event_type_check CHECK (type IN ('lead.created', 'lead.offered',
    'lead.offer_expired', 'lead.declined', 'lead.assigned', 'lead.requeued', 'lead.held', 'lead.escalated',
    'lead.taken_back', 'lead.closed', 'rep.status_changed', 'rep.updated', 'policy.published', 'webhook.disabled'));
DROP INDEX lifecycle_event_manager;
CREATE INDEX lifecycle_event_manager ON lifecycle_event (id DESC)
    WHERE type IN ('lead.held', 'lead.escalated', 'lead.taken_back', 'webhook.disabled');
