"""Generated progress data at scale, written by the server itself (generate_series), for `make bench-db`
and for the test that reads the query plans.

Students get events spread over the last year (half exercises, a quarter quizzes, some code
reviews and plain activity) across the curriculum's topics; their daily activity, per-topic and
student-wide figures are derived from those events the way the consumer computes them (the
stored levels leave consistency out, which only the next event's level-up check reads); each
student also has notifications (most of them read) and sits in a class of one of the teachers.
"""

import time
from dataclasses import dataclass

from psycopg import Connection

from learnflow.domain.progress import RECENT_SCORES, curriculum_topics

TIME_ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Pacific/Auckland"]
STUDENTS_PER_CLASS = 30

_STEPS: tuple[tuple[str, str], ...] = (
    (
        "students",
        """
        CREATE TEMP TABLE generated_students ON COMMIT DROP AS
        SELECT md5(%(prefix)s || '-student-' || g)::uuid AS id, g AS n,
               (%(zones)s::text[])[1 + g %% cardinality(%(zones)s::text[])] AS timezone
        FROM generate_series(1, %(students)s) AS g;
        INSERT INTO users (id, email, password_hash, display_name, role, timezone)
        SELECT id, %(prefix)s || '-student-' || n || '@example.com', 'generated', 'Student ' || n, 'student',
               timezone
        FROM generated_students;
        """,
    ),
    (
        "teachers and classes",
        """
        INSERT INTO users (id, email, password_hash, display_name, role)
        SELECT md5(%(prefix)s || '-teacher-' || g)::uuid, %(prefix)s || '-teacher-' || g || '@example.com',
               'generated', 'Teacher ' || g, 'teacher'
        FROM generate_series(0, %(teachers)s - 1) AS g;
        INSERT INTO classes (id, name, teacher_id, join_code)
        SELECT md5(%(prefix)s || '-class-' || g)::uuid, 'Class ' || g,
               md5(%(prefix)s || '-teacher-' || g)::uuid,
               upper(substr(md5(%(prefix)s || '-code-' || g), 1, 12))
        FROM generate_series(0, %(teachers)s - 1) AS g;
        INSERT INTO class_memberships (class_id, student_id)
        SELECT md5(%(prefix)s || '-class-' || (n %% %(teachers)s))::uuid, id FROM generated_students;
        """,
    ),
    (
        "events",
        """
        INSERT INTO progress_events (event_id, user_id, kind, topic, score, occurred_at, local_day)
        SELECT gen_random_uuid(), id, kind, topic,
               CASE WHEN kind = 'activity' THEN NULL ELSE round((random() * 100)::numeric, 2) END,
               occurred_at, (occurred_at AT TIME ZONE timezone)::date
        FROM (
            SELECT s.id, s.timezone,
                   CASE WHEN r < 0.5 THEN 'exercise_submitted' WHEN r < 0.75 THEN 'quiz_attempted'
                        WHEN r < 0.9 THEN 'code_reviewed' ELSE 'activity' END AS kind,
                   (%(topics)s::text[])[1 + floor(random() * cardinality(%(topics)s::text[]))::int] AS topic,
                   now() - random() * interval '365 days' AS occurred_at
            FROM generated_students AS s
            CROSS JOIN LATERAL (SELECT random() AS r, e FROM generate_series(1, %(events)s) AS e) AS draws
        ) AS drawn;
        """,
    ),
    (
        "daily activity",
        """
        INSERT INTO daily_activity (user_id, day, events)
        SELECT user_id, local_day, count(*) FROM progress_events
        WHERE user_id IN (SELECT id FROM generated_students) GROUP BY user_id, local_day;
        """,
    ),
    (
        "figures",
        """
        CREATE TEMP TABLE recent_scores ON COMMIT DROP AS
        SELECT user_id, kind, topic, score FROM (
            SELECT user_id, kind, topic, score,
                   row_number() OVER (PARTITION BY user_id, kind,
                                               CASE WHEN kind = 'code_reviewed' THEN '' ELSE topic END
                                      ORDER BY occurred_at DESC, event_id DESC) AS position
            FROM progress_events
            WHERE user_id IN (SELECT id FROM generated_students) AND score IS NOT NULL
        ) AS ranked WHERE position <= %(recent)s;
        INSERT INTO progress (user_id, topic, exercise_score, exercises_counted, quiz_score, quizzes_counted)
        SELECT user_id, topic,
               coalesce(round(avg(score) FILTER (WHERE kind = 'exercise_submitted'), 1), 0),
               count(*) FILTER (WHERE kind = 'exercise_submitted'),
               coalesce(round(avg(score) FILTER (WHERE kind = 'quiz_attempted'), 1), 0),
               count(*) FILTER (WHERE kind = 'quiz_attempted')
        FROM recent_scores WHERE kind IN ('exercise_submitted', 'quiz_attempted') GROUP BY user_id, topic;
        INSERT INTO progress_overall (user_id, code_quality, reviews_counted)
        SELECT user_id, round(avg(score), 1), count(*) FROM recent_scores
        WHERE kind = 'code_reviewed' GROUP BY user_id;
        """,
    ),
    (
        "levels",
        """
        UPDATE progress AS p SET mastery = figures.mastery,
               level = CASE WHEN figures.mastery <= 40 THEN 'red' WHEN figures.mastery <= 70 THEN 'yellow'
                            WHEN figures.mastery <= 90 THEN 'green' ELSE 'blue' END
        FROM (
            SELECT p.user_id, p.topic,
                   round(0.4 * p.exercise_score + 0.3 * p.quiz_score + 0.2 * coalesce(o.code_quality, 0))
                   AS mastery
            FROM progress AS p LEFT JOIN progress_overall AS o USING (user_id)
            WHERE p.user_id IN (SELECT id FROM generated_students)
        ) AS figures
        WHERE p.user_id = figures.user_id AND p.topic = figures.topic;
        UPDATE progress_overall AS o SET mastery = figures.mastery,
               level = CASE WHEN figures.mastery <= 40 THEN 'red' WHEN figures.mastery <= 70 THEN 'yellow'
                            WHEN figures.mastery <= 90 THEN 'green' ELSE 'blue' END
        FROM (
            SELECT p.user_id,
                   round(0.4 * coalesce(avg(p.exercise_score) FILTER (WHERE p.exercises_counted > 0), 0)
                         + 0.3 * coalesce(avg(p.quiz_score) FILTER (WHERE p.quizzes_counted > 0), 0)
                         + 0.2 * o.code_quality) AS mastery
            FROM progress AS p JOIN progress_overall AS o USING (user_id)
            WHERE p.user_id IN (SELECT id FROM generated_students)
            GROUP BY p.user_id, o.code_quality
        ) AS figures
        WHERE o.user_id = figures.user_id;
        """,
    ),
    (
        "notifications",
        """
        INSERT INTO notifications (id, user_id, kind, message, data, read_at, created_at)
        SELECT gen_random_uuid(), s.id,
               (ARRAY['level_up', 'streak_milestone', 'struggle_alert', 'note'])[1 + k %% 4],
               'Generated notification ' || k, jsonb_build_object('k', k),
               CASE WHEN random() < 0.7 THEN now() END, now() - random() * interval '90 days'
        FROM generated_students AS s CROSS JOIN generate_series(1, %(notifications)s) AS k;
        """,
    ),
)


@dataclass(frozen=True)
class Generated:
    students: int
    events: int
    seconds: dict[str, float]


def generate(
    conn: Connection[dict[str, object]] | Connection[tuple[object, ...]],
    *,
    prefix: str,
    students: int,
    events_per_student: int,
    notifications_per_student: int = 30,
    report: bool = False,
) -> Generated:
    """Writes the data in one transaction and analyzes the tables; returns how long each step took."""
    parameters = {
        "prefix": prefix,
        "students": students,
        "teachers": max(1, students // STUDENTS_PER_CLASS),
        "events": events_per_student,
        "notifications": notifications_per_student,
        "zones": TIME_ZONES,
        "topics": list(curriculum_topics()),
        "recent": RECENT_SCORES,
    }
    seconds: dict[str, float] = {}
    with conn.transaction():
        for name, statement in _STEPS:
            started = time.perf_counter()
            for part in filter(str.strip, statement.split(";")):  # one statement per execute
                conn.execute(part.encode(), parameters)
            seconds[name] = time.perf_counter() - started
            if report:
                print(f"  {name}: {seconds[name]:.1f} s", flush=True)
    started = time.perf_counter()
    for table in (
        "users",
        "classes",
        "class_memberships",
        "progress_events",
        "daily_activity",
        "progress",
        "progress_overall",
        "notifications",
    ):
        conn.execute(f"ANALYZE {table}".encode())
    seconds["analyze"] = time.perf_counter() - started
    return Generated(students, students * events_per_student, seconds)
