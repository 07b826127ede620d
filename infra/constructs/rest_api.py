"""The REST API: one Lambda proxy method per RestRoute of the wiring, behind a token authorizer.

The stage is throttled and writes JSON access logs; CORS preflights answer the browser origins
(the stage's configured ones and the stack's web site); every response API Gateway makes itself
has the contract's error body; a web application firewall enforces the 1 MiB body limit and a
per-address rate limit.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import StageConfig
from infra.constructs.firewall import RestApiFirewall
from infra.constructs.functions import LearnFlowFunctions
from infra.wiring import FunctionSpec, RestRoute
from learnflow.api.errors import error_body
from learnflow.observability import CORRELATION_HEADER

AUTHORIZER_CACHE_TTL = Duration.seconds(300)
CORS_ALLOWED_HEADERS = ("Authorization", "Content-Type", CORRELATION_HEADER)
CORS_MAX_AGE = Duration.minutes(10)
_PATH_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: one JSON line per request; never a body, a header value or a token
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "integrationStatus": "$context.integration.status",
    "errorMessage": "$context.error.message",
    "authorizerError": "$context.authorizer.error",
    "wafStatus": "$context.waf.status",
    "userId": "$context.authorizer.principalId",
}


@dataclass(frozen=True)
class BrowserOrigins:
    """The origins browsers may call the REST API from: the stage's `cors_origins`, then the web site's."""

    configured: tuple[str, ...]
    web_site: str

    @property
    def all(self) -> tuple[str, ...]:
        return (*self.configured, self.web_site)

    @property
    def of_gateway_errors(self) -> str | None:
        """The one origin API Gateway's own error responses name (their headers cannot depend on the
        request): the configured origin when there is one, the web site's when none is configured."""
        if len(self.configured) > 1:
            return None
        return self.configured[0] if self.configured else self.web_site


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
        return json.dumps(error_body(self.code, self.message))


GATEWAY_ERRORS: tuple[GatewayError, ...] = (
    GatewayError(apigateway.ResponseType.DEFAULT_4_XX, "bad_request", "The request could not be read."),
    GatewayError(
        apigateway.ResponseType.DEFAULT_5_XX,
        "internal_error",
        "Something went wrong on our side; it has been logged.",
    ),
    GatewayError(
        apigateway.ResponseType.UNAUTHORIZED,
        "unauthorized",
        "Sign in first: send a valid access token as 'Authorization: Bearer <token>'.",
        "401",
    ),
    GatewayError(
        apigateway.ResponseType.ACCESS_DENIED, "forbidden", "You are not allowed to do this.", "403"
    ),
    GatewayError(
        apigateway.ResponseType.THROTTLED,
        "throttled",
        "Too many requests; slow down and retry after the delay given.",
        "429",
        (("Retry-After", "1"),),
    ),
    GatewayError(
        apigateway.ResponseType.QUOTA_EXCEEDED,
        "throttled",
        "Too many requests; slow down and retry after the delay given.",
        "429",
        (("Retry-After", "60"),),
    ),
    GatewayError(
        apigateway.ResponseType.REQUEST_TOO_LARGE,
        "payload_too_large",
        "The request body is larger than 1 MiB.",
        "413",
    ),
    GatewayError(
        apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
        "not_found",
        "No such route.",
        "404",
    ),
    GatewayError(
        apigateway.ResponseType.INTEGRATION_FAILURE,
        "bad_gateway",
        "The service failed to answer; it has been logged.",
        "502",
    ),
    GatewayError(
        apigateway.ResponseType.INTEGRATION_TIMEOUT,
        "gateway_timeout",
        "The service took too long to answer.",
        "504",
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
        origins: BrowserOrigins,
        config: StageConfig,
    ) -> None:
        super().__init__(scope, construct_id)
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=config.profile.log_retention,
            removal_policy=config.profile.retained_data_policy,
        )
        self.api = apigateway.RestApi(
            self,
            "Api",
            rest_api_name=config.name("rest"),
            description="LearnFlow REST API",
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            # API Gateway writes logs through one role per account and region; it is kept on delete
            # because other stacks of the account rely on the same setting.
            cloud_watch_role=True,
            cloud_watch_role_removal_policy=RemovalPolicy.RETAIN,
            deploy_options=apigateway.StageOptions(
                stage_name=config.stage,
                throttling_rate_limit=config.throttling_rate_limit,
                throttling_burst_limit=config.throttling_burst_limit,
                tracing_enabled=True,
                metrics_enabled=True,
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # request and response bodies never reach the logs
                access_log_destination=apigateway.LogGroupLogDestination(self.access_logs),
                access_log_format=apigateway.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS)),
            ),
        )
        self.authorizer = apigateway.TokenAuthorizer(
            self,
            "TokenAuthorizer",
            handler=authorizer_function,
            identity_source=apigateway.IdentitySource.header("Authorization"),
            results_cache_ttl=AUTHORIZER_CACHE_TTL,
        )
        self.validator = self.api.add_request_validator(
            # Bodies are validated by the functions (pydantic, 422 with the fields named); no method
            # declares a request model, so API Gateway checks the declared parameters only.
            "Validator",
            validate_request_parameters=True,
            validate_request_body=True,
        )
        self.methods: list[apigateway.Method] = []
        self._cors = apigateway.CorsOptions(
            allow_origins=list(origins.all),
            allow_methods=apigateway.Cors.ALL_METHODS,
            allow_headers=list(CORS_ALLOWED_HEADERS),
            max_age=CORS_MAX_AGE,
        )
        self._preflights: set[str] = set()
        for spec in specs:
            if spec.rest_routes:
                # one invoke permission per function for this API, not one per route (stack size)
                integration = apigateway.LambdaIntegration(
                    functions[spec.name], scope_permission_to_method=False
                )
                for route in spec.rest_routes:
                    self.methods.append(self._add_method(route, integration))
        error_origin = origins.of_gateway_errors
        cors_headers = (("Access-Control-Allow-Origin", error_origin),) if error_origin else ()
        for error in GATEWAY_ERRORS:
            headers = (*error.headers, *cors_headers)
            self.api.add_gateway_response(
                f"{error.response_type.response_type}Response",
                type=error.response_type,
                status_code=error.status_code,
                templates={"application/json": error.template},
                response_headers={name: f"'{value}'" for name, value in headers} or None,
            )
        self.firewall = RestApiFirewall(
            self,
            "Firewall",
            name=config.name("rest-firewall"),
            stage_arn=self.api.deployment_stage.stage_arn,
            rate_limit=config.firewall_rate_limit,
        )

    @property
    def origin(self) -> str:
        """`https://<api id>.execute-api.<region>.<suffix>`: where browsers send the API's requests."""
        return f"https://{self.api.rest_api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}"

    @property
    def base_url(self) -> str:
        """The stage's URL without a trailing slash: the routes' paths are appended to it."""
        return f"{self.origin}/{self.api.deployment_stage.stage_name}"

    def _add_method(self, route: RestRoute, integration: apigateway.LambdaIntegration) -> apigateway.Method:
        resource = self.api.root.resource_for_path(route.path)
        if route.path not in self._preflights:  # only where routes are
            self._preflights.add(route.path)
            resource.add_cors_preflight(
                allow_origins=self._cors.allow_origins,
                allow_methods=self._cors.allow_methods,
                allow_headers=self._cors.allow_headers,
                max_age=self._cors.max_age,
            )
        parameters = {f"method.request.path.{name}": True for name in _PATH_PARAMETER.findall(route.path)}
        if route.authorized:
            return resource.add_method(
                route.method,
                integration,
                authorizer=self.authorizer,
                authorization_type=apigateway.AuthorizationType.CUSTOM,
                request_validator=self.validator,
                request_parameters=parameters or None,
            )
        return resource.add_method(
            route.method,
            integration,
            authorization_type=apigateway.AuthorizationType.NONE,
            request_validator=self.validator,
            request_parameters=parameters or None,
        )
