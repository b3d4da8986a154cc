-- Mapped JSON sources: how a sender's payload (a HubSpot workflow, a web form) becomes a lead. The document is stored
-- as written, its signing secret included (HMAC needs it; the API never shows it back).
CREATE TABLE intake_source (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    document    jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
