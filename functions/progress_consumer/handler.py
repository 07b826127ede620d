"""Consumer of progress.events: updates mastery, activity and streaks, then pushes them live."""

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.kafka import cloud_event_of, data_of, process_records
from learnflow.dependencies import database, pusher
from learnflow.domain import progress
from learnflow.events.schemas import ProgressRecorded
from learnflow.messaging.poison_records import DeadLetterSettings, poison_records
from learnflow.observability import bind_correlation_id, count, logger
from learnflow.settings import DatabaseSettings, WebSocketSettings, cached_settings


class ProgressConsumerSettings(DatabaseSettings, WebSocketSettings, DeadLetterSettings):
    pass


settings = cached_settings(ProgressConsumerSettings)
processor = BatchProcessor(event_type=EventType.Kafka)


def handle_record(record: KafkaEventRecord) -> None:
    event = cloud_event_of(record)
    bind_correlation_id(event.correlationid)
    recorded = data_of(event, ProgressRecorded)
    with database(settings).transaction(event.correlationid) as uow:
        outcome = progress.consume(
            uow,
            uow.progress,
            uow.notifications,
            pusher(settings),
            event.id,
            recorded,
            datetime.now(UTC),
        )
    for notification in outcome.notifications if outcome else []:
        count("NotificationsSent", kind=notification.kind)
    logger.info(
        "progress event applied" if outcome else "progress event skipped (redelivery or unknown user)",
        extra={
            "event_id": event.id,
            "kind": recorded.kind,
            "notifications": [n.kind for n in outcome.notifications] if outcome else [],
        },
    )


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_records(event, context, handle_record, processor, lambda: poison_records(settings))
