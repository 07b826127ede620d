"""The WebSocket API: one route per `websocket_routes` entry of the wiring, `$connect` authorized."""

from collections.abc import Iterable

from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.constructs.functions import LearnFlowFunctions, spec_id
from infra.wiring import FunctionSpec

ROUTE_SELECTION_EXPRESSION = "$request.body.action"
CONNECT_ROUTE = "$connect"
CONNECT_IDENTITY_SOURCE = "route.request.querystring.token"


class LearnFlowWebSocketApi(Construct):
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
        self.api = apigwv2.WebSocketApi(
            self,
            "Api",
            api_name=f"learnflow-{stage}-websocket",
            description="LearnFlow WebSocket API",
            route_selection_expression=ROUTE_SELECTION_EXPRESSION,
        )
        authorizer = authorizers.WebSocketLambdaAuthorizer(
            "ConnectAuthorizer", authorizer_function, identity_source=[CONNECT_IDENTITY_SOURCE]
        )
        for spec in specs:
            if not spec.websocket_routes:
                continue
            integration = integrations.WebSocketLambdaIntegration(
                f"{spec_id(spec)}Integration", functions[spec.name]
            )
            for route_key in spec.websocket_routes:
                self.api.add_route(
                    route_key,
                    integration=integration,
                    authorizer=authorizer if route_key == CONNECT_ROUTE else None,
                )
        self.stage = apigwv2.WebSocketStage(
            self,
            "Stage",
            web_socket_api=self.api,
            stage_name=stage,
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=throttling_rate_limit, burst_limit=throttling_burst_limit
            ),
        )
