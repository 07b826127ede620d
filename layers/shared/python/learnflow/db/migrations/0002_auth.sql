-- Authentication: password-guessing throttle, sources a user signed in from, refresh token lookups.

-- One row per failed sign-in; only the throttle's sliding window (minutes) is ever read.
CREATE TABLE IF NOT EXISTS login_failures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account   text NOT NULL,  -- the email as typed, lower-cased: unknown addresses are throttled too
    source_ip text NOT NULL,
    failed_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_account_idx ON login_failures (account, failed_at DESC);
CREATE INDEX IF NOT EXISTS login_failures_source_idx ON login_failures (source_ip, failed_at DESC);
CREATE INDEX IF NOT EXISTS login_failures_failed_at_idx ON login_failures (failed_at);

-- Where a user signed in successfully: guessing against their account never throttles them there.
CREATE TABLE IF NOT EXISTS login_known_sources (
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_ip       text NOT NULL,
    last_success_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, source_ip)
);

CREATE INDEX IF NOT EXISTS refresh_tokens_user_idx ON refresh_tokens (user_id, expires_at);
