"""What each capability of the wiring gives a function: configuration, grants and network paths.

Environment variables carry ARNs, endpoints and names, never a secret's value. A capability
the wiring declares but this table does not know stops the synth with a message naming it.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager

from infra.constructs.database import LearnFlowDatabase
from infra.constructs.functions import WiredFunction
from infra.constructs.msk_access import grant_publish
from infra.constructs.streaming import LearnFlowStreaming
from infra.wiring import FunctionSpec


class UnknownCapabilityError(ValueError):
    """A FunctionSpec declares a capability the CDK app cannot grant yet."""


@dataclass(frozen=True)
class NetworkPeers:
    """What functions connect to inside the VPC; exists before the functions do."""

    database: LearnFlowDatabase
    streaming: LearnFlowStreaming


@dataclass(frozen=True)
class CapabilityResources:
    peers: NetworkPeers
    token_signing_key: secretsmanager.ISecret
    llm_api_key: secretsmanager.ISecret
    websocket_stage: apigwv2.WebSocketStage
    #: the wiring's container-image functions (the sandbox), by spec name
    image_functions: Mapping[str, lambda_.IFunction]


@dataclass(frozen=True)
class CapabilityGrant:
    apply: Callable[[WiredFunction, CapabilityResources], None]
    #: the security group a function joins to reach what the capability needs (it then runs in the VPC)
    client_group: Callable[[NetworkPeers], ec2.ISecurityGroup] | None = None

    @property
    def needs_vpc(self) -> bool:
        return self.client_group is not None


def _database(wired: WiredFunction, resources: CapabilityResources) -> None:
    database = resources.peers.database
    wired.function.add_environment("DATABASE_SECRET_ARN", database.secret.secret_arn)
    wired.function.add_environment("DATABASE_HOST", database.proxy_endpoint)
    database.secret.grant_read(wired.function)


def _publish_events(wired: WiredFunction, resources: CapabilityResources) -> None:
    streaming = resources.peers.streaming
    wired.function.add_environment("KAFKA_BOOTSTRAP_SERVERS", streaming.bootstrap_servers)
    wired.function.add_environment("KAFKA_SECURITY", "iam")
    grant_publish(wired.function, streaming.cluster, streaming.topics)


def _post_to_connections(wired: WiredFunction, resources: CapabilityResources) -> None:
    wired.function.add_environment("WEBSOCKET_MANAGEMENT_ENDPOINT", resources.websocket_stage.callback_url)
    resources.websocket_stage.grant_management_api_access(wired.function)


def _token_signing_key(wired: WiredFunction, resources: CapabilityResources) -> None:
    wired.function.add_environment("JWT_SECRET_ARN", resources.token_signing_key.secret_arn)
    resources.token_signing_key.grant_read(wired.function)


def _llm_api_key(wired: WiredFunction, resources: CapabilityResources) -> None:
    wired.function.add_environment("OPENAI_API_KEY_SECRET_ARN", resources.llm_api_key.secret_arn)
    resources.llm_api_key.grant_read(wired.function)


def _run_sandbox(wired: WiredFunction, resources: CapabilityResources) -> None:
    if len(resources.image_functions) != 1:
        raise UnknownCapabilityError(
            f"function {wired.spec.name!r} declares 'run_sandbox', which needs exactly one container-image "
            f"function (a spec with image_directory) in the wiring; found {sorted(resources.image_functions)}"
        )
    (sandbox,) = resources.image_functions.values()
    wired.function.add_environment("SANDBOX_FUNCTION_NAME", sandbox.function_name)
    # the function itself, not its versions (grant_invoke would add `arn:*`)
    wired.function.add_to_role_policy(
        iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[sandbox.function_arn])
    )


GRANTS: Mapping[str, CapabilityGrant] = {
    "database": CapabilityGrant(_database, lambda peers: peers.database.clients_security_group),
    "publish_events": CapabilityGrant(_publish_events, lambda peers: peers.streaming.clients_security_group),
    "post_to_connections": CapabilityGrant(_post_to_connections),
    "token_signing_key": CapabilityGrant(_token_signing_key),
    "run_sandbox": CapabilityGrant(_run_sandbox),
    "llm_api_key": CapabilityGrant(_llm_api_key),
}


def check_capabilities(specs: Iterable[FunctionSpec], grants: Mapping[str, CapabilityGrant] = GRANTS) -> None:
    """Stops the synth on a capability nobody taught the CDK app to grant."""
    for spec in specs:
        unknown = sorted(set(spec.capabilities) - set(grants))
        if unknown:
            raise UnknownCapabilityError(
                f"function {spec.name!r} declares capability {', '.join(map(repr, unknown))}, which the CDK "
                f"app cannot grant: add it to GRANTS in infra/constructs/capabilities.py "
                f"(known: {', '.join(sorted(grants))})"
            )


def needs_vpc(spec: FunctionSpec) -> bool:
    return any(GRANTS[capability].needs_vpc for capability in spec.capabilities)


def client_groups(spec: FunctionSpec, peers: NetworkPeers) -> list[ec2.ISecurityGroup]:
    """The security groups a function joins for its capabilities, in a stable order."""
    return [
        client_group(peers)
        for capability in sorted(spec.capabilities)
        if (client_group := GRANTS[capability].client_group) is not None
    ]


def apply_capabilities(wired: WiredFunction, resources: CapabilityResources) -> None:
    for capability in sorted(wired.spec.capabilities):
        GRANTS[capability].apply(wired, resources)
