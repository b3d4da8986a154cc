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

-- manager console sessions, opened with a read or admin key (POST /api/v1/console/sessions): only the SHA-256 is kept
CREATE TABLE console_session (
    id         uuid PRIMARY KEY,
    hash       bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    -- the key it was opened with: an api_key id, or env-<n> for a bootstrap key (leadrouter.api-keys)
    key_id     text NOT NULL,
    -- a run-time key's sessions end with it
    api_key_id uuid REFERENCES api_key (id) ON DELETE CASCADE,
    issued_by  text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX console_session_expires ON console_session (expires_at);
CREATE INDEX console_session_api_key ON console_session (api_key_id);
