"""The interfaces the domain needs from the world outside it, declared once.

Repositories implement the stores and the unit of work, `learnflow.sandbox` the sandbox,
`learnflow.llm` the tutor engine, `learnflow.security` the password hasher, `learnflow.realtime`
the pusher and the delta sink. The domain imports none of them: a function's handler hands it the
implementations.
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

from learnflow.domain.concepts import Concept, Explanation, Level, OpenAnswer
from learnflow.domain.exercise_bank import ExerciseDraft
from learnflow.domain.exercise_bank.models import Source
from learnflow.domain.models import ExerciseInProgress, TutorRequest, User
from learnflow.domain.offline_tutor import ExerciseRequest
from learnflow.domain.sandbox_results import ExecutionResult, GradeResult
from learnflow.domain.triage import StudentContext, Triage
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import EventData
from learnflow.events.topics import Topic


class UserStore(Protocol):
    def add(self, user: User, password_hash: str) -> None: ...
    def by_id(self, user_id: str) -> User | None: ...
    def credentials_by_email(self, email: str) -> tuple[User, str] | None: ...
    def update_profile(self, user_id: str, *, display_name: str, timezone: str) -> None: ...


class TutorRequestStore(Protocol):
    def add(self, request: TutorRequest) -> None: ...
    def by_id(self, request_id: str) -> TutorRequest | None: ...
    def record_answer(
        self, request_id: str, *, status: str, source: str, payload: dict[str, Any]
    ) -> None: ...


class ConnectionStore(Protocol):
    def add(self, connection_id: str, user_id: str) -> None: ...
    def remove(self, connection_id: str) -> None: ...
    def of_user(self, user_id: str) -> list[str]: ...
    def user_of(self, connection_id: str) -> str | None: ...


class ExercisesInProgress(Protocol):
    def in_progress(self, user_id: str) -> list[ExerciseInProgress]:
        """The exercises the student worked on lately and has not passed, the latest first."""
        ...


class EventSink(Protocol):
    """Where the domain publishes the events it causes: a unit of work's outbox, committed with the
    change, or straight to Kafka for an event that records no change (a program's result)."""

    def publish(self, topic: Topic, data: EventData, *, user_id: str) -> CloudEvent: ...


class UnitOfWork(EventSink, Protocol):
    """One transaction: changes and the events they cause commit together or not at all."""

    @property
    def users(self) -> UserStore: ...
    @property
    def requests(self) -> TutorRequestStore: ...
    @property
    def connections(self) -> ConnectionStore: ...
    @property
    def assignments(self) -> ExercisesInProgress: ...
    @property
    def correlation_id(self) -> str: ...

    def claim_event(self, consumer: str, event_id: str) -> bool:
        """Records that `consumer` handled `event_id`; False when it already had (a redelivery)."""
        ...


class TransactionFactory(Protocol):
    def transaction(self, correlation_id: str) -> AbstractContextManager[UnitOfWork]: ...


class ConnectionPusher(Protocol):
    def push(self, connection_id: str, message: dict[str, Any]) -> bool:
        """Sends a message to one WebSocket connection; False when the connection is gone."""
        ...


class Sandbox(Protocol):
    """Runs untrusted code under every isolation layer and limit.

    Raises `SandboxUnavailableError` (domain.errors) when it cannot run code now; never raises for
    what the program itself does.
    """

    def run(self, code: str, stdin: str = "") -> ExecutionResult: ...

    def grade(self, module_name: str, student_code: str, test_code: str) -> GradeResult:
        """Runs `test_code` (trusted) against `student_code` imported as `module_name` (untrusted)."""
        ...

    def layers(self) -> list[str]:
        """The isolation layers in force, e.g. ["static_check", ..., "seccomp", "namespaces"]."""
        ...


class TutorEngine(Protocol):
    """Writes explanations and exercises: the offline curriculum, or an LLM that falls back to it."""

    @property
    def source(self) -> Source:
        """The engine that answers first: "llm" may still fall back to "offline" per answer."""
        ...

    def explain(
        self,
        concept: Concept,
        level: Level,
        question: str,
        open_exercises: Sequence[ExerciseInProgress] = (),
    ) -> Explanation:
        """The concept explained for the question; no code in it is the solution of an open exercise."""
        ...

    def exercise(self, request: ExerciseRequest) -> ExerciseDraft | None:
        """A new exercise on the request's topic, or None when the bank has none on it."""
        ...


class DeltaSink(Protocol):
    """Where an answer's text goes while it is being written (the student's open sockets).

    The engine writes pieces as they come, then either ends the stream (the text shown is the
    answer's) or retracts it (the answer that follows is another one). After either, writes are ignored.
    """

    def write(self, text: str) -> None:
        """The next piece of the text; the sink may batch pieces together."""
        ...

    def end(self) -> None:
        """The text shown is final: whatever the sink still holds is sent now."""
        ...

    def retract(self, reason: str) -> None:
        """The text shown will not be the answer (`reason` says why, e.g. "stream_cut", "rejected")."""
        ...


@runtime_checkable
class StreamingExplainer(Protocol):
    """A tutor engine that can show an explanation while it writes it (the LLM engine)."""

    def explain_streaming(
        self,
        concept: Concept,
        level: Level,
        question: str,
        sink: DeltaSink,
        open_exercises: Sequence[ExerciseInProgress] = (),
    ) -> Explanation:
        """`TutorEngine.explain`, showing the explanation on `sink` as it is written; text shown that
        the returned explanation does not keep is retracted before it returns. While exercises are
        open, code is not shown before the whole answer passed the guard."""
        ...


@runtime_checkable
class QuestionAnswerer(Protocol):
    """A tutor engine that can answer a Python question no curriculum page is about (the LLM engine)."""

    def answer_question(
        self,
        question: str,
        level: Level,
        nearest: Sequence[str],
        sink: DeltaSink | None = None,
        open_exercises: Sequence[ExerciseInProgress] = (),
    ) -> OpenAnswer | None:
        """The question answered, checked as every answer is (shown on `sink` while it is written);
        None when no checked answer could be had (the caller answers offline)."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; no hash (an unknown user) costs as much time as a wrong one."""
        ...


class UsageLedger(Protocol):
    """LLM tokens spent today (UTC), per user and by everyone."""

    def spent_today(self, user_id: str | None) -> tuple[int, int]:
        """Tokens the user (none: nobody) spent today, and tokens everyone spent today."""
        ...

    def record(self, user_id: str, *, prompt_tokens: int, completion_tokens: int) -> None: ...


class TriageSecondOpinion(Protocol):
    """Routes a question the offline triage is not confident about (an LLM); None when it cannot."""

    def classify(
        self, question: str, code: str | None, error: str | None, context: StudentContext, offline: Triage
    ) -> Triage | None: ...


class ProgressNarrator(Protocol):
    """Writes a student's progress summary in its own words (an LLM); None when it cannot."""

    def narrate(self, figures: dict[str, Any], question: str) -> str | None: ...


class ReviewNarrator(Protocol):
    """Writes a code review's summary from its checked findings (an LLM); None when it cannot."""

    def narrate(self, findings: dict[str, Any], code: str) -> str | None: ...


class HintWriter(Protocol):
    """Writes the three debugging hints in its own words from the analysis (an LLM); None when it cannot."""

    def write_hints(self, analysis: dict[str, Any], code: str, question: str) -> list[str] | None: ...
