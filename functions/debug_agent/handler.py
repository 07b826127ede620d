"""Consumer of debug.requests: explains a student's error, records it, detects struggle."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.kafka import cloud_event_of
from learnflow.dependencies import database
from learnflow.domain.debugging import CodeRunner
from learnflow.domain.debugging.service import analyze_request, answer_request
from learnflow.domain.debugging.settings import DebugSettings
from learnflow.events.schemas import TutorRequested, parse_data
from learnflow.observability import bind_correlation_id, logger
from learnflow.repositories.struggle import StruggleRepository
from learnflow.sandbox import optional_sandbox
from learnflow.settings import cached_settings

settings = cached_settings(DebugSettings)
processor = BatchProcessor(event_type=EventType.Kafka)


def runner() -> CodeRunner | None:
    return optional_sandbox(settings, without_it="code is analysed without running it")


def handle_record(record: KafkaEventRecord) -> None:
    event = cloud_event_of(record)
    bind_correlation_id(event.correlationid)
    request = parse_data(event, TutorRequested)
    analysis = analyze_request(request, runner())  # outside the transaction: it may run code
    with database(settings).transaction(event.correlationid) as uow:
        answered = answer_request(
            uow, StruggleRepository(uow.connection), settings.struggle_policy(), event.id, request, analysis
        )
    logger.info("debug request handled", extra={"event_id": event.id, "redelivery": not answered})


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=handle_record, processor=processor, context=context
    )
