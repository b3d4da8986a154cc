-- Period usage (caps, fairness) counts each rep's leads assigned in the last 32 days, for every rep an offer ranks:
-- by this index a count reads that rep's range, not every lead assigned in those days.
CREATE INDEX lead_owner_assigned ON lead (owner_rep_id, assigned_at) WHERE owner_rep_id IS NOT NULL;
