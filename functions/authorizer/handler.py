"""Lambda authorizer: REST (TOKEN, Bearer header) and WebSocket $connect (REQUEST, ?token=)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.dependencies import token_service
from learnflow.domain.errors import AuthenticationError
from learnflow.observability import logger
from learnflow.settings import TokenSettings, cached_settings

settings = cached_settings(TokenSettings)


def _token_of(event: dict[str, Any]) -> str:
    if event.get("type") == "TOKEN":
        scheme, _, token = str(event.get("authorizationToken") or "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""
    return str((event.get("queryStringParameters") or {}).get("token") or "")


def _whole_stage(method_arn: str) -> str:
    """Every route of the stage, REST and WebSocket alike, so one cached policy serves them all."""
    prefix, _, path = method_arn.partition("/")
    stage = path.split("/", 1)[0]
    return f"{prefix}/{stage}/*"


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    token = _token_of(event)
    try:
        if not token:
            raise AuthenticationError("No access token was sent.")
        claims = token_service(settings).decode(token, "access")
    except AuthenticationError as refused:
        logger.info("refused a request without a valid access token", extra={"reason": refused.message})
        raise PermissionError("Unauthorized") from None  # API Gateway's contract: this message means 401
    statement = {
        "Action": "execute-api:Invoke",
        "Effect": "Allow",
        "Resource": [_whole_stage(event["methodArn"])],
    }
    return {
        "principalId": claims.user_id,
        "policyDocument": {"Version": "2012-10-17", "Statement": [statement]},
        "context": {"role": claims.role},
    }
