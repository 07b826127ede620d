"""Reading CloudEvents out of MSK event records, and what to do with a record that fails.

Every Kafka consumer runs its batch through `process_records`: a record that fails for good (a
poison record) is parked in the mapping's dead-letter destination with its reason and counts as
processed; a record that fails for now (database or broker unreachable) fails its batch item, so
the event source mapping retries it. `poison_reason` is the one place that tells them apart.
"""

from collections.abc import Callable
from typing import Any

import psycopg
from aiokafka.errors import KafkaError
from aws_lambda_powertools.utilities.batch import BatchProcessor, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from learnflow.domain.errors import NotFoundError
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import EventData, parse_data
from learnflow.messaging.poison_records import ParkedRecord, PoisonReason, PoisonRecords, ReasonCode
from learnflow.observability import count, logger

#: failures that can pass: the record is retried, never parked, whatever else the error says.
#: psycopg.OperationalError covers a database that is down or restarting and the pool's timeout.
TRANSIENT: tuple[type[BaseException], ...] = (psycopg.OperationalError, KafkaError, TimeoutError, OSError)

_MESSAGE_LIMIT = 1000


class PoisonRecordError(Exception):
    """The record can never be processed: the same bytes fail the same way on every delivery."""

    def __init__(self, code: ReasonCode, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code: ReasonCode = code
        self.message = message


def cloud_event_of(record: KafkaEventRecord) -> CloudEvent:
    """The record's CloudEvent; PoisonRecordError when its value is none (not JSON, not an envelope)."""
    try:
        return CloudEvent.model_validate_json(record.decoded_value)
    except ValueError as error:  # pydantic's ValidationError, undecodable base64 or UTF-8
        raise PoisonRecordError("not_a_cloud_event", _describe(error)) from error


def data_of[D: EventData](event: CloudEvent, schema: type[D]) -> D:
    """The event's data in its topic's schema; PoisonRecordError when it breaks the schema."""
    try:
        return parse_data(event, schema)
    except ValidationError as error:
        raise PoisonRecordError("schema_violation", _describe(error)) from error


def poison_reason(error: BaseException) -> PoisonReason | None:
    """Why a failed record can never succeed, or None when it may succeed later (it is retried)."""
    if _caused_by(error, TRANSIENT):
        return None
    if isinstance(error, PoisonRecordError):
        return PoisonReason(error.code, error.message)
    if isinstance(error, psycopg.errors.ForeignKeyViolation):
        detail = error.diag.message_detail or str(error)
        code: ReasonCode = "unknown_user" if 'table "users"' in detail else "unknown_reference"
        return PoisonReason(code, _limited(detail))
    if isinstance(error, psycopg.DataError):  # e.g. an id that is no uuid
        return PoisonReason("invalid_data", _limited(error.diag.message_primary or str(error)))
    if isinstance(error, NotFoundError):
        return PoisonReason("not_found", _limited(error.message))
    return None


def parked_record(record: KafkaEventRecord, reason: PoisonReason, function: str) -> ParkedRecord:
    raw = record.raw_event
    return ParkedRecord(
        function=function,
        reason=reason,
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        timestamp=raw.get("timestamp"),
        key=raw.get("key"),
        value=raw["value"],
        headers=raw.get("headers") or [],
    )


def process_records(
    event: dict[str, Any],
    context: LambdaContext,
    record_handler: Callable[[KafkaEventRecord], None],
    processor: BatchProcessor,
    poison_records: Callable[[], PoisonRecords],
) -> PartialItemFailureResponse:
    """Powertools' partial batch processing, with poison records parked and acknowledged."""

    def handle(record: KafkaEventRecord) -> None:
        try:
            record_handler(record)
        except Exception as error:
            reason = poison_reason(error)
            if reason is None:
                raise
            poison_records().park(parked_record(record, reason, context.function_name))
            count("PoisonRecordsParked", reason=reason.code, function=context.function_name)
            logger.warning(
                "poison record parked in the dead-letter destination",
                extra={
                    "reason": reason.code,
                    "detail": reason.message,
                    "topic": record.topic,
                    "partition": record.partition,
                    "offset": record.offset,
                },
            )

    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)


def _caused_by(error: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kinds):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _describe(error: ValueError) -> str:
    if isinstance(error, ValidationError):
        issues = [
            f"{'.'.join(str(part) for part in issue['loc']) or 'value'}: {issue['msg']}"
            for issue in error.errors()
        ]
        return _limited("; ".join(issues))
    return _limited(str(error))


def _limited(text: str) -> str:
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"
