"""The unit of work over Postgres: repositories and the outbox on one transaction."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from psycopg import Connection

from learnflow.db.pool import Pool
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import EventData
from learnflow.events.topics import Topic
from learnflow.messaging.publisher import EventPublisher
from learnflow.observability import logger
from learnflow.repositories import outbox_relay
from learnflow.repositories.classes import ClassRepository
from learnflow.repositories.connections import ConnectionRepository
from learnflow.repositories.counted_struggle import CountedStruggleRepository
from learnflow.repositories.exercises import ExerciseRepository
from learnflow.repositories.llm_usage import LlmUsageRepository
from learnflow.repositories.login_attempts import LoginAttemptRepository
from learnflow.repositories.notifications import NotificationRepository
from learnflow.repositories.outbox import OutboxRepository
from learnflow.repositories.processed_events import ProcessedEventRepository
from learnflow.repositories.progress import ProgressRepository
from learnflow.repositories.quizzes import QuizRepository
from learnflow.repositories.refresh_tokens import RefreshTokenRepository
from learnflow.repositories.tutor_context import ExerciseAssignmentRepository, StudentContextRepository
from learnflow.repositories.tutor_requests import TutorRequestRepository
from learnflow.repositories.users import UserRepository


class PostgresUnitOfWork:
    """One transaction, and every repository on it: handlers take their repositories from here."""

    def __init__(self, conn: Connection[dict[str, Any]], correlation_id: str) -> None:
        self._conn = conn
        self.correlation_id = correlation_id
        self._outbox = OutboxRepository(conn)
        self._processed_events = ProcessedEventRepository(conn)
        self.published: list[outbox_relay.Enqueued] = []

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self._conn)

    @cached_property
    def requests(self) -> TutorRequestRepository:
        return TutorRequestRepository(self._conn)

    @cached_property
    def connections(self) -> ConnectionRepository:
        return ConnectionRepository(self._conn)

    @cached_property
    def classes(self) -> ClassRepository:
        return ClassRepository(self._conn)

    @cached_property
    def exercises(self) -> ExerciseRepository:
        return ExerciseRepository(self._conn)

    @cached_property
    def assignments(self) -> ExerciseAssignmentRepository:
        return ExerciseAssignmentRepository(self._conn)

    @cached_property
    def struggle(self) -> CountedStruggleRepository:
        """Counts the episodes this transaction opens and closes; `emit` them once it committed."""
        return CountedStruggleRepository(self._conn)

    @cached_property
    def student_context(self) -> StudentContextRepository:
        return StudentContextRepository(self._conn)

    @cached_property
    def notifications(self) -> NotificationRepository:
        return NotificationRepository(self._conn)

    @cached_property
    def progress(self) -> ProgressRepository:
        return ProgressRepository(self._conn)

    @cached_property
    def quizzes(self) -> QuizRepository:
        return QuizRepository(self._conn)

    @cached_property
    def refresh_tokens(self) -> RefreshTokenRepository:
        return RefreshTokenRepository(self._conn)

    @cached_property
    def login_attempts(self) -> LoginAttemptRepository:
        return LoginAttemptRepository(self._conn)

    @cached_property
    def llm_usage(self) -> LlmUsageRepository:
        return LlmUsageRepository(self._conn)

    def publish(self, topic: Topic, data: EventData, *, user_id: str) -> CloudEvent:
        correlation_id = self.correlation_id
        enqueued = outbox_relay.enqueue(
            self._outbox, topic, data, user_id=user_id, correlation_id=correlation_id
        )
        self.published.append(enqueued)
        return enqueued.event

    def claim_event(self, consumer: str, event_id: str) -> bool:
        return self._processed_events.claim(consumer, event_id)


class DirectEvents:
    """Publishes events that record no database change straight to Kafka; the outbox is their fallback."""

    def __init__(self, pool: Pool, publisher: EventPublisher | None, correlation_id: str) -> None:
        self._pool = pool
        self._publisher = publisher
        self.correlation_id = correlation_id

    def publish(self, topic: Topic, data: EventData, *, user_id: str) -> CloudEvent:
        return outbox_relay.publish_or_keep(
            self._pool, self._publisher, topic, data, user_id=user_id, correlation_id=self.correlation_id
        )


class Database:
    """Opens units of work; events they publish are relayed to Kafka right after commit.

    If the broker cannot take them then, they wait in the outbox for the scheduled relay.
    """

    def __init__(self, pool: Pool, publisher: EventPublisher | None = None) -> None:
        self.pool = pool
        self._publisher = publisher

    @contextmanager
    def transaction(self, correlation_id: str, *, relay_events: bool = True) -> Iterator[PostgresUnitOfWork]:
        """A unit of work; with `relay_events=False` the caller relays them later with `relay`."""
        with self.pool.connection() as conn, conn.transaction():
            unit = PostgresUnitOfWork(conn, correlation_id)
            yield unit
        if relay_events:
            self.relay(unit.published)

    def check(self, *, timeout: float) -> None:
        """Raises unless the database answers within `timeout` seconds."""
        with self.pool.connection(timeout=timeout) as conn:
            conn.execute("SELECT 1")

    def direct_events(self, correlation_id: str) -> DirectEvents:
        """For events that record no change (a program's result): no transaction on the way to Kafka."""
        return DirectEvents(self.pool, self._publisher, correlation_id)

    def relay(self, published: Sequence[outbox_relay.Enqueued]) -> None:
        if not published or self._publisher is None:
            return
        try:
            outbox_relay.relay_committed(self.pool, self._publisher, published)
        except Exception:  # never fail a committed change because its events are late
            logger.exception("relaying events after commit failed; the scheduled relay will retry")
