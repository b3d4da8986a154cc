-- A CRM that sends a record again whenever it changes (Salesforce outbound messages) updates the lead taken in from
-- that record while the lead is still queued. The record's own modification time (SystemModstamp or LastModifiedDate)
-- is kept, so that an older version delivered late never overwrites a newer one.
ALTER TABLE lead ADD COLUMN record_modified_at timestamptz;

-- the update is a state change of its own, written in its transaction like every other
ALTER TABLE lifecycle_event DROP CONSTRAINT lifecycle_event_type_check;
ALTER TABLE lifecycle_event ADD CONSTRAINT lifecycle_event_type_check CHECK (type IN ('lead.created', 'lead.offered',
    'lead.offer_expired', 'lead.declined', 'lead.assigned', 'lead.requeued', 'lead.held', 'lead.escalated',
    'lead.taken_back', 'lead.closed', 'lead.updated', 'rep.status_changed', 'rep.updated', 'policy.published',
    'webhook.disabled'));
