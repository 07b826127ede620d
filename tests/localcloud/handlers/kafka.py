"""Test functions fed by the event source mappings.

Each appends `{"at": <unix time>, "event": <event>}` to `$RECORD_DIR/<function>.jsonl` first, so the
tests see every invocation, then behaves as its name says.
"""

import base64
import json
import os
import time
from pathlib import Path
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord


def _record(event: dict[str, Any], context: Any) -> None:
    line = json.dumps({"at": time.time(), "event": event})
    with (Path(os.environ["RECORD_DIR"]) / f"{context.function_name}.jsonl").open("a") as invocations:
        invocations.write(line + "\n")


def _values(event: dict[str, Any]) -> list[bytes]:
    return [base64.b64decode(record["value"]) for records in event["records"].values() for record in records]


def record(event: dict[str, Any], context: Any) -> None:
    _record(event, context)


def fail_on_poison(event: dict[str, Any], context: Any) -> None:
    _record(event, context)
    if b"poison" in _values(event):
        raise ValueError("a poison record")


def fail_while_marked(event: dict[str, Any], context: Any) -> None:
    _record(event, context)
    if Path(os.environ["MARKER_FILE"]).exists():
        raise RuntimeError("failing while the marker file exists")


def fail_bad_records_once(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
    """Powertools' BatchProcessor; a record whose value is b"bad" fails the first time it is seen."""
    _record(event, context)
    seen = Path(os.environ["MARKER_FILE"])

    def handle(record: KafkaEventRecord) -> None:
        mark = f"{record.topic}-{record.partition}@{record.offset}"
        if record.decoded_value == b"bad" and mark not in seen.read_text().split():
            with seen.open("a") as marks:
                marks.write(mark + "\n")
            raise ValueError(f"{mark} is bad")

    seen.touch()
    return process_partial_response(
        event=event, record_handler=handle, processor=BatchProcessor(EventType.Kafka), context=context
    )


def sleep_past_timeout(event: dict[str, Any], context: Any) -> None:
    _record(event, context)
    time.sleep(30)
