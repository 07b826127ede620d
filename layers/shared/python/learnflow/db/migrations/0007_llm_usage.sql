-- LLM tokens spent per user and day (UTC): the daily budgets are checked against it, admins read it.
CREATE TABLE IF NOT EXISTS llm_usage (
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day               date NOT NULL,
    prompt_tokens     bigint NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens bigint NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    calls             integer NOT NULL DEFAULT 0 CHECK (calls >= 0),
    PRIMARY KEY (user_id, day)
);
CREATE INDEX IF NOT EXISTS llm_usage_day_idx ON llm_usage (day);
