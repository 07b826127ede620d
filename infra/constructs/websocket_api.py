"""The WebSocket API: one route per `websocket_routes` entry of the wiring, `$connect` authorized."""

import json
from collections.abc import Iterable

from aws_cdk import Aws
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import StageConfig
from infra.constructs.functions import LearnFlowFunctions, spec_id
from infra.wiring import FunctionSpec

ROUTE_SELECTION_EXPRESSION = "$request.body.action"
CONNECT_ROUTE = "$connect"
CONNECT_IDENTITY_SOURCE = "route.request.querystring.token"
#: one JSON line per connect, message and disconnect; never a message body or the token
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "connectionId": "$context.connectionId",
    "eventType": "$context.eventType",
    "routeKey": "$context.routeKey",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "status": "$context.status",
    "integrationLatency": "$context.integrationLatency",
    "errorMessage": "$context.error.message",
    "authorizerError": "$context.authorizer.error",
    "userId": "$context.authorizer.principalId",
}


class LearnFlowWebSocketApi(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Iterable[FunctionSpec],
        functions: LearnFlowFunctions,
        authorizer_function: lambda_.IFunction,
        config: StageConfig,
    ) -> None:
        super().__init__(scope, construct_id)
        self.api = apigwv2.WebSocketApi(
            self,
            "Api",
            api_name=config.name("websocket"),
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
            stage_name=config.stage,
            auto_deploy=True,
            detailed_metrics_enabled=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=config.throttling_rate_limit, burst_limit=config.throttling_burst_limit
            ),
        )
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=config.profile.log_retention,
            removal_policy=config.profile.retained_data_policy,
        )
        stage = self.stage.node.default_child
        assert isinstance(stage, apigwv2.CfnStage)
        stage.access_log_settings = apigwv2.CfnStage.AccessLogSettingsProperty(
            destination_arn=self.access_logs.log_group_arn, format=json.dumps(ACCESS_LOG_FIELDS)
        )
        stage.default_route_settings = apigwv2.CfnStage.RouteSettingsProperty(
            throttling_rate_limit=config.throttling_rate_limit,
            throttling_burst_limit=config.throttling_burst_limit,
            detailed_metrics_enabled=True,
            logging_level="ERROR",
            data_trace_enabled=False,
        )

    @property
    def origin(self) -> str:
        """`wss://<api id>.execute-api.<region>.<suffix>`: where browsers open their sockets."""
        return f"wss://{self.api.api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}"
