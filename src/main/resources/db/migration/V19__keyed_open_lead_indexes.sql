-- The duplicate check's indexes hold only the leads that have the key: a lead sent without an e-mail, phone or
-- external id (a batch of company names, say) no longer writes three entries of NULL keys on every insert and every
-- status change, and the pull's planner can no longer take one of them for a scan of the team's queue (it did, on
-- stale statistics: an external sort of the whole queue under the pull's row locks).
DROP INDEX lead_open_email;
DROP INDEX lead_open_phone;
DROP INDEX lead_open_external_id;
CREATE INDEX lead_open_email ON lead (team, lower(email), created_at DESC) WHERE status <> 'CLOSED' AND email IS NOT NULL;
CREATE INDEX lead_open_phone ON lead (team, regexp_replace(phone, '[^0-9+]', '', 'g'), created_at DESC)
    WHERE status <> 'CLOSED' AND phone IS NOT NULL;
CREATE INDEX lead_open_external_id ON lead (team, external_id, created_at DESC)
    WHERE status <> 'CLOSED' AND external_id IS NOT NULL;
