"""Test functions behind the local REST and WebSocket gateways."""

import json
import os
import time
from pathlib import Path
from typing import Any


def _record(name: str, event: dict[str, Any]) -> None:
    with Path(os.environ["RECORD_DIR"], f"{name}.jsonl").open("a") as log:
        log.write(json.dumps(event) + "\n")


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _record("echo", event)
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
        "body": json.dumps({"path": event["path"], "authorizer": event["requestContext"]["authorizer"]}),
        "isBase64Encoded": False,
    }


def crash(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise RuntimeError("the handler broke")


def sleep(event: dict[str, Any], context: Any) -> dict[str, Any]:
    time.sleep(float(json.loads(event["body"] or "{}").get("seconds", 5)))
    return {"statusCode": 200, "body": "{}"}


def malformed(event: dict[str, Any], context: Any) -> str:
    return "a string is not a proxy response"


def authorizer(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """'Bearer good' is allowed everywhere, 'Bearer readonly' only for GET; anything else is refused."""
    _record("authorizer", event)
    token = event.get("authorizationToken", "")
    prefix = event["methodArn"].rsplit("/", 3)[0]
    if token == "Bearer good":
        statements = [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": f"{prefix}/*"}]
    elif token == "Bearer readonly":
        statements = [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": f"{prefix}/GET/*"}]
    elif token == "Bearer broken":
        raise ValueError("the authorizer itself failed")
    else:
        raise PermissionError("Unauthorized")
    return {
        "principalId": "user-1",
        "policyDocument": {"Version": "2012-10-17", "Statement": statements},
        "context": {"role": "student", "nested": {"dropped": True}},
    }


def nap(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Sleeps as asked, then tells which environment ran it: its process and its own /tmp."""
    time.sleep(float(event.get("seconds", 0)))
    return {"pid": os.getpid(), "tmp": os.environ.get("TMPDIR", "")}


def exit_now(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The environment's process dies mid-invocation, as one killed by the kernel would."""
    os._exit(3)
