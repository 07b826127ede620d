"""Consumer of struggle.detected: alerts the student and each of their teachers, live and stored."""

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.kafka import cloud_event_of, data_of, process_records
from learnflow.dependencies import database, pusher
from learnflow.domain import notifications
from learnflow.events.schemas import StruggleDetected
from learnflow.messaging.poison_records import DeadLetterSettings, poison_records
from learnflow.observability import bind_correlation_id, count, logger
from learnflow.settings import DatabaseSettings, WebSocketSettings, cached_settings


class NotificationsConsumerSettings(DatabaseSettings, WebSocketSettings, DeadLetterSettings):
    pass


settings = cached_settings(NotificationsConsumerSettings)
processor = BatchProcessor(event_type=EventType.Kafka)


def handle_record(record: KafkaEventRecord) -> None:
    event = cloud_event_of(record)
    bind_correlation_id(event.correlationid)
    alert = data_of(event, StruggleDetected)
    with database(settings).transaction(event.correlationid) as uow:
        created = notifications.consume_struggle(
            uow,
            uow.notifications,
            uow.classes,
            pusher(settings),
            event.id,
            alert,
            datetime.now(UTC),
        )
    for notification in created or []:
        count("NotificationsSent", kind=notification.kind)
    logger.info(
        "struggle alerts stored" if created is not None else "struggle event already handled",
        extra={"event_id": event.id, "recipients": len(created or [])},
    )


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_records(event, context, handle_record, processor, lambda: poison_records(settings))
