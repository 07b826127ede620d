"""The interfaces the domain needs from storage and messaging; repositories implement them."""

from contextlib import AbstractContextManager
from typing import Any, Protocol

from learnflow.domain.models import TutorRequest, User
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import EventData
from learnflow.events.topics import Topic


class UserStore(Protocol):
    def add(self, user: User, password_hash: str) -> None: ...
    def by_id(self, user_id: str) -> User | None: ...
    def credentials_by_email(self, email: str) -> tuple[User, str] | None: ...


class TutorRequestStore(Protocol):
    def add(self, request: TutorRequest) -> None: ...
    def by_id(self, request_id: str) -> TutorRequest | None: ...
    def record_answer(self, request_id: str, *, status: str, source: str, payload: dict[str, Any]) -> None: ...


class ConnectionStore(Protocol):
    def add(self, connection_id: str, user_id: str) -> None: ...
    def remove(self, connection_id: str) -> None: ...
    def of_user(self, user_id: str) -> list[str]: ...
    def user_of(self, connection_id: str) -> str | None: ...


class UnitOfWork(Protocol):
    """One transaction: changes and the events they cause commit together or not at all."""

    users: UserStore
    requests: TutorRequestStore
    connections: ConnectionStore
    correlation_id: str

    def publish(self, topic: Topic, data: EventData, *, user_id: str) -> CloudEvent: ...
    def claim_event(self, consumer: str, event_id: str) -> bool:
        """Records that `consumer` handled `event_id`; False when it already had (a redelivery)."""
        ...


class TransactionFactory(Protocol):
    def transaction(self, correlation_id: str) -> AbstractContextManager[UnitOfWork]: ...


class ConnectionPusher(Protocol):
    def push(self, connection_id: str, message: dict[str, Any]) -> bool:
        """Sends a message to one WebSocket connection; False when the connection is gone."""
        ...
