"""Consumer of learning.responses: pushes each answer to every connection of its student."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.kafka import cloud_event_of, data_of, process_records
from learnflow.dependencies import database, pusher
from learnflow.domain.delivery import deliver
from learnflow.events.schemas import TutorResponded
from learnflow.messaging.poison_records import DeadLetterSettings, poison_records
from learnflow.observability import bind_correlation_id, count, logger
from learnflow.settings import DatabaseSettings, WebSocketSettings, cached_settings

CONSUMER = "response_relay"
#: the engines an answer comes from (`source`); anything else is counted as "other"
SOURCES = frozenset({"llm", "offline"})


class ResponseRelaySettings(DatabaseSettings, WebSocketSettings, DeadLetterSettings):
    pass


settings = cached_settings(ResponseRelaySettings)
processor = BatchProcessor(event_type=EventType.Kafka)


def message_of(response: TutorResponded) -> dict[str, Any]:
    if response.message_type == "execution":
        return {"type": "execution", **response.data}
    return {
        "type": "response",
        "request_id": response.request_id,
        "intent": response.intent,
        "status": response.status,
        "data": response.data,
    }


def handle_record(record: KafkaEventRecord) -> None:
    event = cloud_event_of(record)
    bind_correlation_id(event.correlationid)
    response = data_of(event, TutorResponded)
    # the claim commits only once the pushes succeeded, so a failed push is retried, never lost
    with database(settings).transaction(event.correlationid) as uow:
        if not uow.claim_event(CONSUMER, event.id):
            return
        delivered = deliver(uow.connections, pusher(settings), response.user_id, message_of(response))
    if response.message_type == "response":  # each question's answer passes here once
        source = response.data.get("source")
        source = source if source in SOURCES else "other"
        count("TutorAnswers", source=source, intent=response.intent or "none")
    logger.info("response pushed", extra={"event_id": event.id, "connections": delivered})


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_records(event, context, handle_record, processor, lambda: poison_records(settings))
