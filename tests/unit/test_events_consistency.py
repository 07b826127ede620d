"""The events of events/ (for `learnflow invoke`) keep the shapes of AWS's events in tests/events/."""

import json
from typing import Any

import pytest

from tests.aws_events import (
    NOT_SENT_BY_THE_LOCAL_CLOUD,
    PARSER_MODELS,
    event_kinds,
    key_paths,
    load_event,
    null_key_paths,
)
from tests.conftest import REPO_ROOT

INVOKE_EVENTS = REPO_ROOT / "events"

#: the kind of AWS event each file of events/ is
KIND_OF_INVOKE_EVENT = {
    "authorizer-token.json": "apiGatewayAuthorizerTokenEvent",
    "concepts_api-explain.json": "apiGatewayProxyEvent",
    "health-get.json": "apiGatewayProxyEvent",
    "outbox_relay-scheduled.json": "eventBridgeScheduledEvent",
}


def _invoke_event(name: str) -> dict[str, Any]:
    return dict(json.loads((INVOKE_EVENTS / name).read_text()))


def missing_key_paths(event: dict[str, Any], aws_event: dict[str, Any]) -> set[str]:
    """Key paths of the AWS event that the event lacks, but for the local cloud's known omissions and the
    keys inside an object the event leaves null (a route without an authorizer has no authorizer context)."""
    nulls = null_key_paths(event)
    return {
        path
        for path in key_paths(aws_event) - key_paths(event) - NOT_SENT_BY_THE_LOCAL_CLOUD
        if not any(path.startswith(f"{null}.") for null in nulls)
    }


def test_every_file_of_events_has_a_kind() -> None:
    assert sorted(path.name for path in INVOKE_EVENTS.glob("*.json")) == sorted(KIND_OF_INVOKE_EVENT)
    assert set(KIND_OF_INVOKE_EVENT.values()) <= set(event_kinds())


@pytest.mark.parametrize("name", sorted(KIND_OF_INVOKE_EVENT))
def test_an_invoke_event_has_every_key_path_of_its_kind(name: str) -> None:
    aws_event = load_event(KIND_OF_INVOKE_EVENT[name])
    assert missing_key_paths(_invoke_event(name), aws_event) == set()


@pytest.mark.parametrize("name", sorted(KIND_OF_INVOKE_EVENT))
def test_an_invoke_event_parses_with_the_powertools_model_of_its_kind(name: str) -> None:
    PARSER_MODELS[KIND_OF_INVOKE_EVENT[name]].model_validate(_invoke_event(name))


def test_a_missing_key_path_is_found_and_a_null_authorizer_excuses_only_its_own_keys() -> None:
    aws_event = load_event("apiGatewayProxyEvent")
    without_identity_user = _invoke_event("health-get.json")
    del without_identity_user["requestContext"]["identity"]["user"]
    assert missing_key_paths(without_identity_user, aws_event) == {"requestContext.identity.user"}
    assert missing_key_paths(_invoke_event("concepts_api-explain.json"), aws_event) == set()
    without_authorizer = _invoke_event("concepts_api-explain.json")
    del without_authorizer["requestContext"]["authorizer"]
    assert missing_key_paths(without_authorizer, aws_event) == {
        "requestContext.authorizer",
        "requestContext.authorizer.principalId",
        "requestContext.authorizer.role",
    }


def test_every_invoke_event_is_named_in_the_readme() -> None:
    readme = (INVOKE_EVENTS / "README.md").read_text()
    assert [name for name in KIND_OF_INVOKE_EVENT if name not in readme] == []
