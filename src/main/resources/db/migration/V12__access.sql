-- API keys made at run time (POST /api/v1/keys): only the SHA-256 of each key is kept, never the key
CREATE TABLE api_key (
    id                  uuid PRIMARY KEY,
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    roles               text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['intake', 'read', 'admin']),
    hash                bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    -- null: leadrouter.limits.requests-per-key
    requests_per_minute integer CHECK (requests_per_minute > 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    last_used_at        timestamptz
);

-- a rep token carries the epoch it was issued in; a deactivation or a revocation raises it, retiring every token before
ALTER TABLE rep ADD COLUMN token_epoch bigint NOT NULL DEFAULT 0;
ALTER TABLE lifecycle_event DROP CONSTRAINT lifecycle_event_type_check;
ALTER TABLE lifecycle_event ADD CONSTRAINT lifecycle_event_type_check CHECK (type IN ('lead.created', 'lead.offered',
    'lead.offer_expired', 'lead.declined', 'lead.assigned', 'lead.requeued', 'lead.held', 'lead.escalated',
    'lead.taken_back', 'lead.closed', 'lead.updated', 'lead.unrouted', 'rep.status_changed', 'rep.updated',
    'rep.tokens_revoked', 'policy.published', 'webhook.disabled'));
