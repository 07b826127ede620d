"""The shared REST resolver: failures are logged with the correlation id, then surface as Lambda errors."""

import io
import json
from typing import Any

import pytest

from learnflow.api.rest import resolve, rest_app
from learnflow.observability import logger
from localcloud.lambda_context import LambdaContext
from tests.aws_events import load_event


def _event(path: str, body: str | None = None, **headers: str) -> dict[str, Any]:
    event = load_event("apiGatewayProxyEvent")
    event |= {
        "path": path,
        "resource": path,
        "httpMethod": "POST",
        "body": body,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
    }
    event["requestContext"] |= {"requestId": "gateway-request-id", "httpMethod": "POST"}
    return event


CONTEXT: Any = LambdaContext(
    function_name="test", memory_limit_in_mb=128, aws_request_id="r", deadline_ms=2**62
)


def test_an_unexpected_error_is_logged_with_the_correlation_id_and_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", written)
    app = rest_app()

    @app.post("/boom")
    def boom() -> dict[str, str]:
        raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError):
        resolve(app, _event("/boom", **{"X-Correlation-Id": "abc-123"}), CONTEXT)
    (line,) = [json.loads(text) for text in written.getvalue().splitlines() if "the handler failed" in text]
    assert line["correlation_id"] == "abc-123"
    assert "ZeroDivisionError" in line["exception"]


def test_without_a_header_the_gateway_request_id_is_the_correlation_id() -> None:
    app = rest_app()

    @app.post("/ok")
    def ok() -> dict[str, str]:
        return {"fine": "yes"}

    response = resolve(app, _event("/ok", "{}"), CONTEXT)
    assert response["statusCode"] == 200
    assert response["multiValueHeaders"]["x-correlation-id"] == ["gateway-request-id"]


def test_a_form_encoded_body_is_read_as_json_and_non_utf8_is_400() -> None:
    app = rest_app()

    @app.post("/echo")
    def echo() -> dict[str, Any]:
        return dict(app.current_event.json_body)

    form = resolve(
        app, _event("/echo", '{"a": 1}', **{"Content-Type": "application/x-www-form-urlencoded"}), CONTEXT
    )
    assert json.loads(form["body"]) == {"a": 1}
    raw = _event("/echo", "//4=") | {"isBase64Encoded": True}
    refused = resolve(app, raw, CONTEXT)
    assert refused["statusCode"] == 400
    assert json.loads(refused["body"])["error"]["code"] == "malformed_json"
