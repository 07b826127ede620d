"""Lambda authorizer: REST (TOKEN, Bearer header) and WebSocket $connect (REQUEST, ?token=)."""

from typing import Any

from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerResponse,
)
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


def _api_wide_resource(method_arn: str) -> tuple[str, str, str, str, str]:
    """Region, account, API id and stage of the method ARN, so one cached policy covers every route."""
    _, _, _, region, account, rest = method_arn.split(":", 5)
    api_id, stage, *_ = rest.split("/")
    return region, account, api_id, stage, rest


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    token = _token_of(event)
    try:
        claims = token_service(settings).decode(token, "access") if token else None
    except AuthenticationError:
        claims = None
    if claims is None:
        logger.info("refused a request without a valid access token")
        raise PermissionError("Unauthorized")  # API Gateway's contract: this exact message means 401
    region, account, api_id, stage, _ = _api_wide_resource(event["methodArn"])
    policy = APIGatewayAuthorizerResponse(
        principal_id=claims.user_id,
        region=region,
        aws_account_id=account,
        api_id=api_id,
        stage=stage,
        context={"role": claims.role},
    )
    policy.allow_all_routes()
    return policy.asdict()
