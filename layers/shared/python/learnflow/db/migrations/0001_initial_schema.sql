-- LearnFlow system of record.

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    display_name  text NOT NULL,
    role          text NOT NULL CHECK (role IN ('student', 'teacher', 'admin')),
    timezone      text NOT NULL DEFAULT 'UTC',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE refresh_tokens (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id  uuid NOT NULL,
    expires_at timestamptz NOT NULL,
    spent_at   timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE classes (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    teacher_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    join_code  text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX classes_teacher_idx ON classes (teacher_id);

CREATE TABLE class_memberships (
    class_id   uuid NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    student_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (class_id, student_id)
);
CREATE INDEX class_memberships_student_idx ON class_memberships (student_id);

CREATE TABLE modules (
    id       uuid PRIMARY KEY,
    slug     text NOT NULL UNIQUE,
    title    text NOT NULL,
    position integer NOT NULL
);

CREATE TABLE topics (
    id        uuid PRIMARY KEY,
    module_id uuid NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    slug      text NOT NULL UNIQUE,
    title     text NOT NULL,
    position  integer NOT NULL
);

CREATE TABLE exercises (
    id           uuid PRIMARY KEY,
    slug         text NOT NULL UNIQUE,
    title        text NOT NULL,
    description  text NOT NULL,
    topic        text NOT NULL,
    difficulty   text NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    module_name  text NOT NULL,
    starter_code text NOT NULL,
    solution     text NOT NULL,
    test_code    text NOT NULL,
    hints        jsonb NOT NULL DEFAULT '[]',
    author_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    generated    boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exercises_topic_idx ON exercises (topic, difficulty);

CREATE TABLE exercise_hint_reveals (
    exercise_id uuid NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    revealed    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (exercise_id, user_id)
);

CREATE TABLE submissions (
    id          uuid PRIMARY KEY,
    exercise_id uuid NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code        text NOT NULL,
    score       integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    status      text NOT NULL CHECK (status IN ('passed', 'failed', 'error')),
    results     jsonb NOT NULL DEFAULT '[]',
    duration_ms integer NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX submissions_user_idx ON submissions (user_id, created_at DESC);

CREATE TABLE quizzes (
    id        uuid PRIMARY KEY,
    topic     text NOT NULL,
    questions jsonb NOT NULL
);
CREATE INDEX quizzes_topic_idx ON quizzes (topic);

CREATE TABLE quiz_attempts (
    id         uuid PRIMARY KEY,
    quiz_id    uuid NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    answers    jsonb NOT NULL,
    score      integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quiz_attempts_user_idx ON quiz_attempts (user_id, created_at DESC);

CREATE TABLE progress (
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic          text NOT NULL,
    exercise_score numeric(5, 2) NOT NULL DEFAULT 0,
    quiz_score     numeric(5, 2) NOT NULL DEFAULT 0,
    code_quality   numeric(5, 2) NOT NULL DEFAULT 0,
    mastery        numeric(5, 2) NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, topic)
);

CREATE TABLE daily_activity (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day     date NOT NULL,
    events  integer NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
);

CREATE TABLE error_occurrences (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    error_type text NOT NULL,
    message    text NOT NULL,
    topic      text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX error_occurrences_user_idx ON error_occurrences (user_id, created_at DESC);

CREATE TABLE notifications (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    message    text NOT NULL,
    data       jsonb NOT NULL DEFAULT '{}',
    read_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);

CREATE TABLE tutor_requests (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question       text NOT NULL,
    code           text,
    error          text,
    intent         text NOT NULL,
    confidence     numeric(4, 3) NOT NULL,
    status         text NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
    correlation_id text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tutor_requests_user_idx ON tutor_requests (user_id, created_at DESC);

CREATE TABLE tutor_responses (
    request_id uuid PRIMARY KEY REFERENCES tutor_requests (id) ON DELETE CASCADE,
    source     text NOT NULL CHECK (source IN ('llm', 'offline')),
    payload    jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE websocket_connections (
    connection_id text PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connected_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX websocket_connections_user_idx ON websocket_connections (user_id);

CREATE TABLE event_outbox (
    id         bigserial PRIMARY KEY,
    event_id   uuid NOT NULL UNIQUE,
    topic      text NOT NULL,
    key        text NOT NULL,
    payload    jsonb NOT NULL,
    attempts   integer NOT NULL DEFAULT 0,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX event_outbox_pending_idx ON event_outbox (id) WHERE sent_at IS NULL;

CREATE TABLE processed_events (
    consumer     text NOT NULL,
    event_id     uuid NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
