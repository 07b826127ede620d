-- Tutor engines: which exercise was handed to which student, so a new one is not a repeat.

CREATE TABLE IF NOT EXISTS exercise_assignments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_id uuid NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
    source      text NOT NULL CHECK (source IN ('llm', 'offline')),
    request_id  uuid,
    assigned_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS exercise_assignments_user_idx ON exercise_assignments (user_id, id DESC);

-- "has this student passed this exercise": the exercise generator asks it for every bank exercise.
CREATE INDEX IF NOT EXISTS submissions_passed_idx ON submissions (user_id, exercise_id) WHERE status = 'passed';
