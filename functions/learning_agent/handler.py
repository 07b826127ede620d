"""Consumer of learning.requests: answers the `exercise` and `progress` intents (other agents answer
the rest): a new exercise, or a summary of the student's progress and what to study next."""

from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.kafka import cloud_event_of, data_of, process_records
from learnflow.dependencies import database, progress_narrator, sandbox_for, tutor_engine_for
from learnflow.domain import learning_answers
from learnflow.domain.ports import TutorEngine
from learnflow.events.schemas import TutorRequested
from learnflow.llm import LlmSettings
from learnflow.llm.budget import spending_for
from learnflow.messaging.poison_records import DeadLetterSettings, poison_records
from learnflow.observability import bind_correlation_id, logger, metrics
from learnflow.settings import DatabaseSettings, KafkaSettings, SandboxSettings, cached_settings


class LearningAgentSettings(
    DatabaseSettings, KafkaSettings, SandboxSettings, LlmSettings, DeadLetterSettings
):
    pass


settings = cached_settings(LearningAgentSettings)
processor = BatchProcessor(event_type=EventType.Kafka)


@cache
def engine() -> TutorEngine:
    return tutor_engine_for(settings, settings, lambda: sandbox_for(settings))


def handle_record(record: KafkaEventRecord) -> None:
    event = cloud_event_of(record)
    request = data_of(event, TutorRequested)
    if request.intent not in learning_answers.ANSWERED:
        return
    bind_correlation_id(event.correlationid)
    with spending_for(request.user_id), database(settings).transaction(event.correlationid) as uow:
        answered = learning_answers.answer(
            uow,
            event.id,
            request,
            catalog=uow.exercises,
            assignments=uow.assignments,
            engine=engine(),
            context=uow.student_context.context_of(request.user_id),
            narrator=progress_narrator(settings, settings),
        )
    logger.info(
        "learning request handled",
        extra={"event_id": event.id, "intent": request.intent, "redelivery": not answered},
    )


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_records(event, context, handle_record, processor, lambda: poison_records(settings))
