"""The events API Gateway, EventBridge and MSK hand to functions, in AWS's exact shapes."""

import base64
import uuid
from datetime import UTC, datetime
from typing import Any

from multidict import MultiMapping

from localcloud.config import API_ID, STAGE
from localcloud.lambda_context import ACCOUNT_ID, REGION


def _request_time(now: datetime) -> str:
    return now.strftime("%d/%b/%Y:%H:%M:%S +0000")


def _single_and_multi(values: MultiMapping[str]) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    if not values:
        return None, None
    multi: dict[str, list[str]] = {}
    for key, value in values.items():
        multi.setdefault(key, []).append(value)
    return {key: found[-1] for key, found in multi.items()}, multi


def body_fields(raw: bytes) -> tuple[str | None, bool]:
    """The proxy event's body and isBase64Encoded: text stays text, anything else travels as base64."""
    if not raw:
        return None, False
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode(), True


def method_arn(method: str, resource: str) -> str:
    return f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{API_ID}/{STAGE}/{method}{resource}"


def rest_proxy_event(
    *,
    method: str,
    path: str,
    resource: str,
    headers: MultiMapping[str],
    query: MultiMapping[str],
    path_parameters: dict[str, str],
    raw_body: bytes,
    source_ip: str,
    authorizer: dict[str, Any] | None,
    request_id: str,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    single_headers, multi_headers = _single_and_multi(headers)
    single_query, multi_query = _single_and_multi(query)
    body, is_base64 = body_fields(raw_body)
    return {
        "version": "1.0",
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": single_headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": single_query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "authorizer": authorizer,
            "domainName": f"{API_ID}.execute-api.{REGION}.amazonaws.com",
            "domainPrefix": API_ID,
            "extendedRequestId": request_id,
            "httpMethod": method,
            "identity": {
                "accessKey": None,
                "accountId": None,
                "caller": None,
                "cognitoAuthenticationProvider": None,
                "cognitoAuthenticationType": None,
                "cognitoIdentityId": None,
                "cognitoIdentityPoolId": None,
                "principalOrgId": None,
                "sourceIp": source_ip,
                "user": None,
                "userAgent": headers.get("User-Agent"),
                "userArn": None,
            },
            "path": f"/{STAGE}{path}",
            "protocol": "HTTP/1.1",
            "requestId": request_id,
            "requestTime": _request_time(now),
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "resourceId": None,
            "resourcePath": resource,
            "stage": STAGE,
        },
        "body": body,
        "isBase64Encoded": is_base64,
    }


def token_authorizer_event(token_header: str, arn: str) -> dict[str, Any]:
    return {"type": "TOKEN", "authorizationToken": token_header, "methodArn": arn}


def websocket_event(
    *,
    event_type: str,
    route_key: str,
    connection_id: str,
    connected_at: int,
    source_ip: str,
    user_agent: str | None,
    authorizer: dict[str, Any] | None,
    body: str | None = None,
    headers: MultiMapping[str] | None = None,
    query: MultiMapping[str] | None = None,
    close: tuple[int, str] | None = None,
) -> dict[str, Any]:
    """A WebSocket route event: CONNECT carries headers and query, MESSAGE a body, DISCONNECT the close."""
    now = datetime.now(UTC)
    request_id = str(uuid.uuid4())
    context: dict[str, Any] = {
        "routeKey": route_key,
        "eventType": event_type,
        "extendedRequestId": request_id,
        "requestTime": _request_time(now),
        "messageDirection": "IN",
        "stage": STAGE,
        "connectedAt": connected_at,
        "requestTimeEpoch": int(now.timestamp() * 1000),
        "identity": {"userAgent": user_agent, "sourceIp": source_ip},
        "requestId": request_id,
        "domainName": f"{API_ID}.execute-api.{REGION}.amazonaws.com",
        "connectionId": connection_id,
        "apiId": API_ID,
    }
    if authorizer is not None:
        context["authorizer"] = authorizer
    if event_type == "MESSAGE":
        context["messageId"] = str(uuid.uuid4())
    if close is not None:
        context["disconnectStatusCode"], context["disconnectReason"] = close
    event: dict[str, Any] = {"requestContext": context, "isBase64Encoded": False}
    if headers is not None:
        event["headers"], event["multiValueHeaders"] = _single_and_multi(headers)
    if query is not None:
        event["queryStringParameters"], event["multiValueQueryStringParameters"] = _single_and_multi(query)
    if body is not None:
        event["body"] = body
    return event


def websocket_authorizer_event(connect_event: dict[str, Any]) -> dict[str, Any]:
    """The REQUEST authorizer event for $connect: the connect event plus type and methodArn."""
    arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{API_ID}/{STAGE}/$connect"
    return {"type": "REQUEST", "methodArn": arn, **connect_event}


def scheduled_event(rule_name: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{rule_name}"],
        "detail": {},
    }
