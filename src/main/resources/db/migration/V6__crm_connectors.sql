-- A CRM connector follows the event log as a webhook endpoint does (cursor, lease, retries, deliveries): one row per
-- connector a deployment configures. Its credentials stay in the configuration, never in the database.
ALTER TABLE webhook_endpoint ADD COLUMN kind text NOT NULL DEFAULT 'webhook'
    CHECK (kind IN ('webhook', 'salesforce', 'hubspot'));
ALTER TABLE webhook_endpoint ALTER COLUMN secret DROP NOT NULL;
ALTER TABLE webhook_endpoint ADD CONSTRAINT webhook_endpoint_secret_check CHECK ((kind = 'webhook') = (secret IS NOT NULL));
CREATE UNIQUE INDEX webhook_endpoint_connector ON webhook_endpoint (kind) WHERE kind <> 'webhook';

-- the CRM record an attempt wrote (Lead/00Q...), and the outcomes a write-back adds: SKIPPED (nothing to write: the
-- rep has no id in that CRM, the lead no externalId) and REJECTED (the CRM refused for good: a deleted record)
ALTER TABLE webhook_delivery ADD COLUMN target text;
ALTER TABLE webhook_delivery DROP CONSTRAINT webhook_delivery_outcome_check;
ALTER TABLE webhook_delivery ADD CONSTRAINT webhook_delivery_outcome_check
    CHECK (outcome IN ('DELIVERED', 'FAILED', 'SKIPPED', 'REJECTED'));
