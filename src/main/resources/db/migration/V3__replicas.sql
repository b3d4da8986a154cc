-- Several replicas share one PostgreSQL: each registers itself and keeps a heartbeat, and records
-- which reps have sockets on it, so presence is shared and a dead replica's reps lapse.
CREATE TABLE replica (
    id           uuid PRIMARY KEY,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);

-- a row while the rep has at least one socket on the replica
CREATE TABLE rep_socket (
    rep_id     text NOT NULL REFERENCES rep (id),
    replica_id uuid NOT NULL REFERENCES replica (id) ON DELETE CASCADE,
    PRIMARY KEY (rep_id, replica_id)
);
CREATE INDEX rep_socket_replica ON rep_socket (replica_id);
