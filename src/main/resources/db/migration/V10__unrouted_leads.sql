-- a queued lead whose team has no active rep tells managers (lead.unrouted), once per attempt
ALTER TABLE lifecycle_event DROP CONSTRAINT lifecycle_event_type_check;
ALTER TABLE lifecycle_event ADD CONSTRAINT lifecycle_event_type_check CHECK (type IN ('lead.created', 'lead.offered',
    'lead.offer_expired', 'lead.declined', 'lead.assigned', 'lead.requeued', 'lead.held', 'lead.escalated',
    'lead.taken_back', 'lead.closed', 'lead.updated', 'lead.unrouted', 'rep.status_changed', 'rep.updated', 'policy.published',
    'webhook.disabled'));
DROP INDEX lifecycle_event_manager;
CREATE INDEX lifecycle_event_manager ON lifecycle_event (id DESC)
    WHERE type IN ('lead.held', 'lead.escalated', 'lead.taken_back', 'webhook.disabled', 'lead.unrouted');
