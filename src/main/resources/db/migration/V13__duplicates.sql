-- a lead sent in again while an open lead has its e-mail (or the policy's keys) is recorded, not routed (lead.duplicate)
ALTER TABLE lifecycle_event DROP CONSTRAINT lifecycle_event_type_check;
ALTER TABLE lifecycle_event ADD CONSTRAINT lifecycle_event_type_check CHECK (type IN ('lead.created', 'lead.offered',
    'lead.offer_expired', 'lead.declined', 'lead.assigned', 'lead.requeued', 'lead.held', 'lead.escalated',
    'lead.taken_back', 'lead.closed', 'lead.updated', 'lead.unrouted', 'lead.duplicate', 'rep.status_changed',
    'rep.updated', 'rep.tokens_revoked', 'policy.published', 'webhook.disabled'));
-- the duplicate check at intake looks up a team's open leads by each key the policy may name; closed leads leave these indexes
CREATE INDEX lead_open_email ON lead (team, lower(email), created_at DESC) WHERE status <> 'CLOSED';
CREATE INDEX lead_open_phone ON lead (team, regexp_replace(phone, '[^0-9+]', '', 'g'), created_at DESC)
    WHERE status <> 'CLOSED';
CREATE INDEX lead_open_external_id ON lead (team, external_id, created_at DESC) WHERE status <> 'CLOSED';
-- attributes.<name> keys are looked up among the team's open leads without an index of their own: a GIN index on
-- every lead's attributes would tax every intake for a key few policies use
