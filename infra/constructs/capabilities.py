"""What each capability of the wiring gives a function: configuration and the grants it needs.

Environment variables carry ARNs, endpoints and names, never a secret's value.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager

from infra.config import MskCluster
from infra.constructs.msk_access import grant_publish
from infra.wiring import Capability, FunctionSpec


@dataclass(frozen=True)
class CapabilityResources:
    database_secret: secretsmanager.ISecret
    token_signing_key: secretsmanager.ISecret
    msk_cluster: MskCluster
    kafka_bootstrap_servers: str
    websocket_stage: apigwv2.WebSocketStage


def _database(function: lambda_.Function, resources: CapabilityResources) -> None:
    function.add_environment("DATABASE_SECRET_ARN", resources.database_secret.secret_arn)
    resources.database_secret.grant_read(function)


def _publish_events(function: lambda_.Function, resources: CapabilityResources) -> None:
    function.add_environment("KAFKA_BOOTSTRAP_SERVERS", resources.kafka_bootstrap_servers)
    function.add_environment("KAFKA_SECURITY", "iam")
    grant_publish(function, resources.msk_cluster)


def _post_to_connections(function: lambda_.Function, resources: CapabilityResources) -> None:
    function.add_environment("WEBSOCKET_MANAGEMENT_ENDPOINT", resources.websocket_stage.callback_url)
    resources.websocket_stage.grant_management_api_access(function)


def _token_signing_key(function: lambda_.Function, resources: CapabilityResources) -> None:
    function.add_environment("JWT_SECRET_ARN", resources.token_signing_key.secret_arn)
    resources.token_signing_key.grant_read(function)


GRANTS: Mapping[Capability, Callable[[lambda_.Function, CapabilityResources], None]] = {
    "database": _database,
    "publish_events": _publish_events,
    "post_to_connections": _post_to_connections,
    "token_signing_key": _token_signing_key,
}


def apply_capabilities(
    spec: FunctionSpec, function: lambda_.Function, resources: CapabilityResources
) -> None:
    for capability in sorted(spec.capabilities):
        GRANTS[capability](function, resources)
