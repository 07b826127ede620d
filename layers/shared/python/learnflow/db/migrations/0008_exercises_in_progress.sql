-- When a student last took a hint on an exercise. With assignments and submissions it tells which
-- exercises a student is working on: no tutor answer may hand over their solutions.

ALTER TABLE exercise_hint_reveals ADD COLUMN IF NOT EXISTS revealed_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS exercise_hint_reveals_user_idx ON exercise_hint_reveals (user_id, revealed_at DESC);
