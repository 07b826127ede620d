"""The REST API: one Lambda proxy method per RestRoute of the wiring, behind a token authorizer."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.constructs.functions import LearnFlowFunctions
from infra.wiring import FunctionSpec, RestRoute

AUTHORIZER_CACHE_TTL = Duration.seconds(300)


@dataclass(frozen=True)
class GatewayError:
    """A response API Gateway produces itself, in the contract's error shape."""

    response_type: apigateway.ResponseType
    code: str
    message: str
    status_code: str | None = None  # None keeps the status API Gateway chose
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def template(self) -> str:
        return json.dumps({"error": {"code": self.code, "message": self.message, "details": []}})


GATEWAY_ERRORS: tuple[GatewayError, ...] = (
    GatewayError(apigateway.ResponseType.DEFAULT_4_XX, "bad_request", "The request could not be processed."),
    GatewayError(
        apigateway.ResponseType.DEFAULT_5_XX, "internal_error", "Something went wrong on our side; try again."
    ),
    GatewayError(
        apigateway.ResponseType.UNAUTHORIZED, "unauthorized", "A valid access token is required.", "401"
    ),
    GatewayError(
        apigateway.ResponseType.ACCESS_DENIED, "forbidden", "You are not allowed to do this.", "403"
    ),
    GatewayError(
        apigateway.ResponseType.THROTTLED,
        "throttled",
        "Too many requests; try again in a moment.",
        "429",
        (("Retry-After", "1"),),
    ),
    GatewayError(
        apigateway.ResponseType.REQUEST_TOO_LARGE,
        "payload_too_large",
        "The request body is too large.",
        "413",
    ),
    GatewayError(
        apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
        "not_found",
        "There is nothing at this address.",
        "404",
    ),
)


class LearnFlowRestApi(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Iterable[FunctionSpec],
        functions: LearnFlowFunctions,
        authorizer_function: lambda_.IFunction,
        stage: str,
        throttling_rate_limit: int,
        throttling_burst_limit: int,
    ) -> None:
        super().__init__(scope, construct_id)
        self.api = apigateway.RestApi(
            self,
            "Api",
            rest_api_name=f"learnflow-{stage}",
            description="LearnFlow REST API",
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            # The account-wide CloudWatch role belongs to the account's setup, not to one stage.
            cloud_watch_role=False,
            deploy_options=apigateway.StageOptions(
                stage_name=stage,
                throttling_rate_limit=throttling_rate_limit,
                throttling_burst_limit=throttling_burst_limit,
                tracing_enabled=True,
            ),
        )
        self.authorizer = apigateway.TokenAuthorizer(
            self,
            "TokenAuthorizer",
            handler=authorizer_function,
            identity_source=apigateway.IdentitySource.header("Authorization"),
            results_cache_ttl=AUTHORIZER_CACHE_TTL,
        )
        for spec in specs:
            if spec.rest_routes:
                integration = apigateway.LambdaIntegration(functions[spec.name], allow_test_invoke=False)
                for route in spec.rest_routes:
                    self._add_method(route, integration)
        for error in GATEWAY_ERRORS:
            self.api.add_gateway_response(
                f"{error.response_type.response_type}Response",
                type=error.response_type,
                status_code=error.status_code,
                templates={"application/json": error.template},
                response_headers={name: f"'{value}'" for name, value in error.headers} or None,
            )

    def _add_method(self, route: RestRoute, integration: apigateway.LambdaIntegration) -> None:
        resource = self.api.root.resource_for_path(route.path)
        if route.authorized:
            resource.add_method(
                route.method,
                integration,
                authorizer=self.authorizer,
                authorization_type=apigateway.AuthorizationType.CUSTOM,
            )
        else:
            resource.add_method(
                route.method, integration, authorization_type=apigateway.AuthorizationType.NONE
            )
