-- Lead Router core schema. Flyway owns it; Hibernate only maps it.

CREATE TABLE rep (
    id                 text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._@-]{1,100}$'),
    name               text,
    email              text,
    team               text NOT NULL,
    tier               integer,
    skills             jsonb NOT NULL DEFAULT '{}',
    languages          text[] NOT NULL DEFAULT '{}',
    territories        text[] NOT NULL DEFAULT '{}',
    max_load           integer NOT NULL CHECK (max_load >= 0),
    weight             double precision NOT NULL DEFAULT 1 CHECK (weight > 0),
    active             boolean NOT NULL DEFAULT true,
    -- the rep document exactly as last written, so every field survives (working hours, caps, ...)
    document           jsonb NOT NULL,
    presence           text NOT NULL DEFAULT 'OFFLINE' CHECK (presence IN ('AVAILABLE', 'BUSY', 'AWAY', 'OFFLINE')),
    -- set when the rep's last socket dropped: presence is kept until then (grace period)
    presence_lapses_at timestamptz,
    -- load points held by open offers and assigned leads; the guarded UPDATEs keep it <= max_load
    active_load        integer NOT NULL DEFAULT 0 CHECK (active_load >= 0),
    last_assigned_at   timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (presence_lapses_at IS NULL OR presence <> 'OFFLINE')
);
CREATE INDEX rep_team ON rep (team) WHERE active;

CREATE TABLE lead (
    id               uuid PRIMARY KEY,
    -- 'key:<Idempotency-Key>' or 'ext:<externalId>'; the unique index makes racing replays create one lead
    idempotency_key  text UNIQUE,
    request_hash     text NOT NULL,
    external_id      text,
    source           text,
    name             text,
    email            text,
    phone            text,
    company          text,
    country          text,
    region           text,
    postal_code      text,
    language         text,
    product          text,
    industry         text,
    value            numeric(18, 2),
    score            integer CHECK (score BETWEEN 0 AND 100),
    required_skills  jsonb NOT NULL DEFAULT '{}',
    attributes       jsonb NOT NULL DEFAULT '{}',
    team             text NOT NULL,
    status           text NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'OFFERED', 'ASSIGNED', 'CLOSED', 'HELD')),
    owner_rep_id     text REFERENCES rep (id),
    priority         integer NOT NULL,
    load_points      integer NOT NULL DEFAULT 1 CHECK (load_points > 0),
    -- number of offers made for this lead; an offer carries the value it was made at (fencing)
    attempts         integer NOT NULL DEFAULT 0,
    declined_by      text[] NOT NULL DEFAULT '{}',
    missed_by        text[] NOT NULL DEFAULT '{}',
    hold_reason      text,
    outcome          text CHECK (outcome IN ('CONVERTED', 'DISQUALIFIED', 'CONTACTED')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    assigned_at      timestamptz,
    closed_at        timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'ASSIGNED') <= (owner_rep_id IS NOT NULL)),
    CHECK ((status IN ('QUEUED', 'OFFERED', 'HELD')) <= (owner_rep_id IS NULL)),
    CHECK ((status = 'HELD') = (hold_reason IS NOT NULL)),
    CHECK ((status = 'CLOSED') = (outcome IS NOT NULL))
);
-- the queue: best first is priority, then age
CREATE INDEX lead_queue ON lead (team, priority DESC, created_at, id) WHERE status = 'QUEUED';
CREATE INDEX lead_owner ON lead (owner_rep_id, status) WHERE owner_rep_id IS NOT NULL;
CREATE INDEX lead_status_created ON lead (status, created_at DESC);

CREATE TABLE offer (
    id             uuid PRIMARY KEY,
    lead_id        uuid NOT NULL REFERENCES lead (id),
    rep_id         text NOT NULL REFERENCES rep (id),
    attempt        integer NOT NULL CHECK (attempt > 0),
    load_points    integer NOT NULL,
    state          text NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'CANCELLED')),
    expires_at     timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    resolved_at    timestamptz,
    decline_reason text,
    UNIQUE (lead_id, attempt),
    CHECK ((state = 'OPEN') = (resolved_at IS NULL))
);
-- invariant 1: at most one open offer per lead, enforced by the schema
CREATE UNIQUE INDEX offer_one_open_per_lead ON offer (lead_id) WHERE state = 'OPEN';
CREATE INDEX offer_open_deadline ON offer (expires_at) WHERE state = 'OPEN';
CREATE INDEX offer_rep_open ON offer (rep_id) WHERE state = 'OPEN';

CREATE TABLE decision (
    id             bigserial PRIMARY KEY,
    lead_id        uuid NOT NULL REFERENCES lead (id),
    attempt        integer NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('OFFER', 'PULL', 'NO_MATCH')),
    mode           text NOT NULL CHECK (mode IN ('PUSH', 'PULL')),
    chosen_rep_id  text,
    offer_id       uuid,
    -- {"candidates": [...]}: every rep considered, with its exclusion or score
    trace          jsonb NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decision_lead ON decision (lead_id, id);
-- a lead nobody can take is recorded once per attempt, not on every re-evaluation
CREATE UNIQUE INDEX decision_no_match_once ON decision (lead_id, attempt) WHERE kind = 'NO_MATCH';

CREATE TABLE team_mode (
    team       text PRIMARY KEY,
    mode       text NOT NULL CHECK (mode IN ('PUSH', 'PULL')),
    changed_at timestamptz NOT NULL DEFAULT now()
);
