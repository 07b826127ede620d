"""Consumer of code.submissions: reviews the code, records its quality, answers review queries."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.kafka import cloud_event_of, data_of, process_records
from learnflow.dependencies import database, optional_sandbox, review_narrator
from learnflow.domain.ports import Sandbox
from learnflow.domain.review.service import answer_submission, review_submission
from learnflow.events.schemas import CodeSubmitted
from learnflow.llm.budget import spending_for
from learnflow.llm.settings import LlmSettings
from learnflow.messaging.poison_records import DeadLetterSettings, poison_records
from learnflow.observability import bind_correlation_id, logger
from learnflow.settings import DatabaseSettings, KafkaSettings, SandboxSettings, cached_settings


class ReviewAgentSettings(DatabaseSettings, KafkaSettings, SandboxSettings, DeadLetterSettings, LlmSettings):
    pass


settings = cached_settings(ReviewAgentSettings)
processor = BatchProcessor(event_type=EventType.Kafka)


def runner() -> Sandbox | None:
    return optional_sandbox(settings, without_it="suggestions are not checked on sample inputs")


def handle_record(record: KafkaEventRecord) -> None:
    event = cloud_event_of(record)
    bind_correlation_id(event.correlationid)
    submission = data_of(event, CodeSubmitted)
    with spending_for(submission.user_id):  # outside the transaction: linters run, an LLM may write
        review = review_submission(submission, runner(), review_narrator(settings, settings))
    with database(settings).transaction(event.correlationid) as uow:
        answered = answer_submission(uow, event.id, submission, review)
    logger.info(
        "code submission reviewed",
        extra={"event_id": event.id, "score": review.score, "redelivery": not answered},
    )


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_records(event, context, handle_record, processor, lambda: poison_records(settings))
