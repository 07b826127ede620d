"""Loading LearnFlow's function handlers without a cloud, and the events the contract tests give them."""

import base64
import copy
import importlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from infra.wiring import ALL_FUNCTIONS
from localcloud.lambda_context import LambdaContext

#: where the Kafka consumers imported here park poison records (a file of this test process)
DEAD_LETTER_FILE = Path(tempfile.gettempdir()) / f"learnflow-contract-{os.getpid()}" / "dead-letters.jsonl"

#: settings that let every handler import; each dependency points at a closed port
SETTINGS = {
    "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
    "JWT_SECRET": "a-development-signing-key-of-at-least-32-characters",
    "WEBSOCKET_MANAGEMENT_ENDPOINT": "http://127.0.0.1:1",
    "POWERTOOLS_LOG_LEVEL": "ERROR",
    "DEAD_LETTER_FILE": str(DEAD_LETTER_FILE),
}


@contextmanager
def imported_handlers(*names: str) -> Iterator[dict[str, ModuleType]]:
    """The handler modules of these functions, imported with SETTINGS in the environment."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SETTINGS.items():
            patch.setenv(name, value)
        yield {name: importlib.import_module(f"functions.{name}.handler") for name in names}


def context(name: str) -> LambdaContext:
    return LambdaContext(function_name=name, memory_limit_in_mb=128, aws_request_id="r", deadline_ms=2**62)


def functions_serving(proxy_event: dict[str, Any]) -> set[str]:
    """The functions the wiring gives this REST proxy event's method and resource."""
    return {
        spec.name
        for spec in ALL_FUNCTIONS
        for route in spec.rest_routes
        if (route.method, route.path) == (proxy_event["httpMethod"], proxy_event["resource"])
    }


def parked_records() -> list[dict[str, Any]]:
    """The poison records the consumers imported here parked so far, oldest first."""
    if not DEAD_LETTER_FILE.exists():
        return []
    return [json.loads(line) for line in DEAD_LETTER_FILE.read_text().splitlines()]


def unreadable_batch(msk_event: dict[str, Any]) -> dict[str, Any]:
    """The MSK event with every record's value replaced by JSON that is no CloudEvent."""
    batch = copy.deepcopy(msk_event)
    for records in batch["records"].values():
        for record in records:
            record["value"] = base64.b64encode(b'{"not": "a CloudEvent"}').decode()
    return batch
