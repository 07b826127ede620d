"""Consumer of debug.requests: explains a student's error, records it, detects struggle."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.kafka import cloud_event_of, data_of, process_records
from learnflow.dependencies import database, hint_writer, optional_sandbox
from learnflow.domain.debugging.service import analyze_request, answer_request
from learnflow.domain.guardrails.written_hints import written
from learnflow.domain.ports import Sandbox
from learnflow.events.schemas import TutorRequested
from learnflow.llm.budget import spending_for
from learnflow.llm.settings import LlmSettings
from learnflow.messaging.poison_records import DeadLetterSettings, poison_records
from learnflow.observability import bind_correlation_id, logger
from learnflow.settings import (
    DatabaseSettings,
    KafkaSettings,
    SandboxSettings,
    StruggleSettings,
    cached_settings,
)


class DebugAgentSettings(
    DatabaseSettings, KafkaSettings, SandboxSettings, StruggleSettings, DeadLetterSettings, LlmSettings
):
    pass


settings = cached_settings(DebugAgentSettings)
processor = BatchProcessor(event_type=EventType.Kafka)


def runner() -> Sandbox | None:
    return optional_sandbox(settings, without_it="code is analysed without running it")


def handle_record(record: KafkaEventRecord) -> None:
    event = cloud_event_of(record)
    bind_correlation_id(event.correlationid)
    request = data_of(event, TutorRequested)
    analysis = analyze_request(request, runner())  # outside the transaction: it may run code, an LLM write
    writer = hint_writer(settings, settings)
    if analysis is not None and writer is not None:
        with spending_for(request.user_id):
            analysis = written(analysis, writer, request.code or "", request.question)
    with database(settings).transaction(event.correlationid) as uow:
        struggle = uow.struggle
        answered = answer_request(uow, struggle, settings.struggle_policy(), event.id, request, analysis)
    struggle.emit()
    logger.info("debug request handled", extra={"event_id": event.id, "redelivery": not answered})


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_records(event, context, handle_record, processor, lambda: poison_records(settings))
