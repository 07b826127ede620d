-- Debugging help and struggle detection (docs/debugging.md).

-- What each error occurrence was and where it came from; struggle detection counts them per type.
ALTER TABLE error_occurrences ADD COLUMN IF NOT EXISTS line integer;
ALTER TABLE error_occurrences ADD COLUMN IF NOT EXISTS source text NOT NULL DEFAULT 'debug';
CREATE INDEX IF NOT EXISTS error_occurrences_type_idx ON error_occurrences (user_id, error_type, created_at DESC);

-- An episode of struggle: opened (and announced once) when a student hits the same error type more
-- than the threshold within the window; ended by a quiet period or a passing run.
CREATE TABLE IF NOT EXISTS struggle_episodes (
    id                 uuid PRIMARY KEY,
    user_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    error_type         text NOT NULL,
    started_at         timestamptz NOT NULL,
    last_occurrence_at timestamptz NOT NULL,
    occurrences        integer NOT NULL CHECK (occurrences >= 1),
    ended_at           timestamptz,
    end_reason         text CHECK (end_reason IN ('quiet_period', 'passing_run')),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
-- at most one open episode per student and error type
CREATE UNIQUE INDEX IF NOT EXISTS struggle_episodes_open_idx
    ON struggle_episodes (user_id, error_type) WHERE ended_at IS NULL;
CREATE INDEX IF NOT EXISTS struggle_episodes_ended_idx
    ON struggle_episodes (user_id, error_type, ended_at DESC) WHERE ended_at IS NOT NULL;

-- The last time a student's code ran cleanly: errors before it no longer count toward a struggle.
CREATE TABLE IF NOT EXISTS passing_runs (
    user_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    last_passed_at timestamptz NOT NULL
);
