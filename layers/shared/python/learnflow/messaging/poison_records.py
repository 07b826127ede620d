"""Poison records: Kafka records that can never be processed, parked in the mapping's dead-letter destination.

A consumer that meets such a record (not a CloudEvent, data that breaks its topic's schema, a
user that does not exist) parks it here with the reason and acknowledges it, so it fails neither
its batch nor its partition. `PoisonRecords` is the one interface; a function gets the
implementation its environment names:

- `DEAD_LETTER_QUEUE_URL` (AWS, set by the stack): an SQS message on the event source mapping's
  own dead-letter queue, the queue its on-failure destination already writes to;
- `DEAD_LETTER_FILE` (the local cloud): a line appended to `<data_dir>/dead-letters/<function>.jsonl`,
  the local mapping's on-failure destination.

A parked record is one JSON object (the SQS message body, or one line of the file):

    {
      "kind": "poison_record",
      "version": "1.0",
      "function": "concepts_agent",
      "parkedAt": "2026-01-31T12:00:00.000Z",
      "reason": {"code": "schema_violation", "message": "data.user_id: Field required"},
      "record": {
        "topic": "concepts.requests", "partition": 0, "offset": 42, "timestamp": 1769860800000,
        "key": "<base64, or null when the record has none>",
        "value": "<base64>",
        "headers": [{"content-type": [97, 112, ...]}]
      }
    }

`record` is the record as the MSK event carried it (key and value base64, headers as byte lists),
so it can be produced again as it was. The mapping's own invocation records (a batch that kept
failing) share the destination; they have no `kind`.
"""

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import Field

from learnflow.settings import _Base

PARKED_KIND = "poison_record"
PARKED_VERSION = "1.0"

ReasonCode = Literal[
    "not_a_cloud_event", "schema_violation", "unknown_user", "unknown_reference", "invalid_data", "not_found"
]


@dataclass(frozen=True)
class PoisonReason:
    code: ReasonCode
    message: str


@dataclass(frozen=True)
class ParkedRecord:
    """A record that can never be processed, as the MSK event carried it, and why."""

    function: str
    reason: PoisonReason
    topic: str
    partition: int
    offset: int
    timestamp: int | None
    key: str | None
    value: str
    headers: list[dict[str, list[int]]]

    def message(self, parked_at: datetime | None = None) -> dict[str, Any]:
        """The parked record's JSON shape (the module's docstring describes it)."""
        moment = parked_at or datetime.now(UTC)
        return {
            "kind": PARKED_KIND,
            "version": PARKED_VERSION,
            "function": self.function,
            "parkedAt": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "reason": {"code": self.reason.code, "message": self.reason.message},
            "record": {
                "topic": self.topic,
                "partition": self.partition,
                "offset": self.offset,
                "timestamp": self.timestamp,
                "key": self.key,
                "value": self.value,
                "headers": self.headers,
            },
        }


class PoisonRecords(Protocol):
    def park(self, record: ParkedRecord) -> None:
        """Keeps the record in the dead-letter destination, or raises (the record is then retried)."""


class SqsPoisonRecords:
    """On AWS: one message per record on the mapping's dead-letter queue."""

    def __init__(self, queue_url: str, client: Any = None) -> None:
        if client is None:
            import boto3
            from botocore.config import Config

            client = boto3.client(
                "sqs",
                config=Config(
                    retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5
                ),
            )
        self._client = client
        self.queue_url = queue_url

    def park(self, record: ParkedRecord) -> None:
        self._client.send_message(
            QueueUrl=self.queue_url,
            MessageBody=json.dumps(record.message()),
            MessageAttributes={
                "kind": {"DataType": "String", "StringValue": PARKED_KIND},
                "reason": {"DataType": "String", "StringValue": record.reason.code},
            },
        )


class FilePoisonRecords:
    """Locally: one JSON line per record, appended to the mapping's dead-letter file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def park(self, record: ParkedRecord) -> None:
        append_json_line(self.path, record.message())


def append_json_line(path: Path, document: dict[str, Any]) -> None:
    """Appends one line in a single write, so lines from concurrent processes never interleave."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(document) + "\n").encode()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        written = os.write(descriptor, line)
        while written < len(line):  # a short write (a full disk, a signal) is finished, not dropped
            written += os.write(descriptor, line[written:])
    finally:
        os.close(descriptor)


class DeadLetterSettings(_Base):
    """Where a Kafka consumer parks poison records: its mapping's dead-letter queue or file."""

    dead_letter_queue_url: str | None = Field(default=None, min_length=1)
    dead_letter_file: str | None = Field(default=None, min_length=1)

    one_of = (("dead_letter_queue_url", "dead_letter_file"),)


@cache
def poison_records(settings: DeadLetterSettings) -> PoisonRecords:
    if settings.dead_letter_queue_url:
        return SqsPoisonRecords(settings.dead_letter_queue_url)
    return FilePoisonRecords(Path(str(settings.dead_letter_file)))
