"""Consumer of concepts.requests: explains the concept a student asked about."""

from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.kafka import cloud_event_of, data_of, process_records
from learnflow.dependencies import database, optional_sandbox, pusher, sandbox_for, tutor_engine_for
from learnflow.domain import concept_answers
from learnflow.domain.ports import TutorEngine, UnitOfWork
from learnflow.events.schemas import TutorRequested
from learnflow.llm import LlmSettings
from learnflow.llm.budget import spending_for
from learnflow.messaging.poison_records import DeadLetterSettings, poison_records
from learnflow.observability import bind_correlation_id, logger, metrics
from learnflow.realtime.delta_stream import SocketDeltaStream
from learnflow.settings import (
    DatabaseSettings,
    KafkaSettings,
    SandboxSettings,
    WebSocketSettings,
    cached_settings,
)


class ConceptsAgentSettings(
    DatabaseSettings, KafkaSettings, LlmSettings, SandboxSettings, WebSocketSettings, DeadLetterSettings
):
    pass


settings = cached_settings(ConceptsAgentSettings)
processor = BatchProcessor(event_type=EventType.Kafka)


@cache
def engine() -> TutorEngine:
    return tutor_engine_for(settings, settings, lambda: sandbox_for(settings))


def delta_stream(uow: UnitOfWork, request: TutorRequested) -> SocketDeltaStream:
    """The student's sockets, where an LLM explanation shows while it is written."""
    return SocketDeltaStream(
        pusher(settings),
        lambda: uow.connections.of_user(request.user_id),
        request.request_id,
        settings.llm_stream_batch_ms / 1000,
    )


def handle_record(record: KafkaEventRecord) -> None:
    event = cloud_event_of(record)
    bind_correlation_id(event.correlationid)
    request = data_of(event, TutorRequested)
    # the stream ends (its last piece sent) before the transaction commits and the answer is relayed
    with (
        spending_for(request.user_id),
        database(settings).transaction(event.correlationid) as uow,
        delta_stream(uow, request) as stream,
    ):
        sandbox = optional_sandbox(settings, without_it=concept_answers.WITHOUT_SANDBOX)
        answered = concept_answers.answer(uow, event.id, request, engine(), stream, sandbox)
    logger.info("concept request handled", extra={"event_id": event.id, "redelivery": not answered})


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_records(event, context, handle_record, processor, lambda: poison_records(settings))
