-- owner affinity: a lead goes first to the owner of the most recent owned lead of its account (OwnerAffinity)
-- the account keys, derived at intake by the one Java function the replay uses too (routing.AccountKeys)
ALTER TABLE lead ADD COLUMN email_domain text, ADD COLUMN company_key text;
-- leads from before: their e-mail domain (what AccountKeys.emailDomain gives); their company key stays unset
UPDATE lead SET email_domain = lower(btrim(substring(email from '@([^@]*)$'))) WHERE email LIKE '%@%';
UPDATE lead SET email_domain = NULL WHERE email_domain = '';
-- one partial index per key over owned leads (ASSIGNED or CLOSED): the lookup walks each newest first, LIMIT 1
CREATE INDEX lead_owned_account_id ON lead ((attributes ->> 'accountId'), created_at DESC) WHERE owner_rep_id IS NOT NULL;
CREATE INDEX lead_owned_email_domain ON lead (email_domain, created_at DESC) WHERE owner_rep_id IS NOT NULL;
CREATE INDEX lead_owned_company_key ON lead (company_key, created_at DESC) WHERE owner_rep_id IS NOT NULL;
