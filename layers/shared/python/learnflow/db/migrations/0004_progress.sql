-- Progress, streaks, quizzes and notifications (docs/progress.md explains the figures).

-- Every progress event applied, once (its CloudEvent id is the key). Components are recomputed from
-- these facts ordered by when they happened, so events delivered late or out of order end the same.
CREATE TABLE IF NOT EXISTS progress_events (
    event_id    uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('exercise_submitted', 'quiz_attempted', 'code_reviewed', 'activity')),
    topic       text NOT NULL,            -- the curriculum topic it counts toward ('general' when none)
    score       numeric(5, 2) CHECK (score BETWEEN 0 AND 100),
    occurred_at timestamptz NOT NULL,
    local_day   date NOT NULL,            -- occurred_at's date in the student's time zone
    recorded_at timestamptz NOT NULL DEFAULT now()
);
-- "the last 5 scores of a kind in a topic" (exercises, quizzes) and of a kind in any topic (code reviews)
CREATE INDEX IF NOT EXISTS progress_events_scores_idx
    ON progress_events (user_id, kind, topic, occurred_at DESC, event_id DESC) INCLUDE (score)
    WHERE score IS NOT NULL;
-- a student's recent history
CREATE INDEX IF NOT EXISTS progress_events_history_idx ON progress_events (user_id, occurred_at DESC, event_id DESC);

-- Per topic: the exercise and quiz figures and how many scores each averages (the existing
-- progress.code_quality stays 0: code quality is student-wide, in progress_overall).
ALTER TABLE progress ADD COLUMN IF NOT EXISTS exercises_counted smallint NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN IF NOT EXISTS quizzes_counted smallint NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN IF NOT EXISTS level text NOT NULL DEFAULT 'red'
    CHECK (level IN ('red', 'yellow', 'green', 'blue'));

-- Per student: code quality (all topics) and the overall mastery and level at the last event,
-- against which the next event detects a level-up.
CREATE TABLE IF NOT EXISTS progress_overall (
    user_id         uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    code_quality    numeric(5, 2) NOT NULL DEFAULT 0,
    reviews_counted smallint NOT NULL DEFAULT 0,
    mastery         smallint NOT NULL DEFAULT 0 CHECK (mastery BETWEEN 0 AND 100),
    level           text NOT NULL DEFAULT 'red' CHECK (level IN ('red', 'yellow', 'green', 'blue')),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- A notification's unread list is read newest first, like the whole list (notifications_user_idx).
CREATE INDEX IF NOT EXISTS notifications_unread_idx
    ON notifications (user_id, created_at DESC, id DESC) WHERE read_at IS NULL;

-- Deleting a quiz cascades to its attempts through this index.
CREATE INDEX IF NOT EXISTS quiz_attempts_quiz_user_idx ON quiz_attempts (quiz_id, user_id);
