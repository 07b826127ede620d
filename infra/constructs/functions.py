"""One Lambda function per FunctionSpec of the wiring, each with its own role, log group and network place.

Zip functions share the layers (the `learnflow` package, and its dependencies when built);
a spec with `image_directory` becomes a container-image function built from that folder's
Dockerfile (the sandbox), placed in isolated subnets with no route out.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from aws_cdk import Duration, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.assets import REPO_ROOT
from infra.config import StageConfig
from infra.constructs.network import HTTPS, LearnFlowNetwork
from infra.wiring import FunctionSpec

RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.X86_64
METRICS_NAMESPACE = "LearnFlow"
#: the sandbox's ceiling when its spec sets none: it caps what runaway student code can cost
DEFAULT_IMAGE_RESERVED_CONCURRENCY = 25
FUNCTION_TAG = "learnflow:function"
MAX_FUNCTION_NAME = 64


class ImageDirectoryError(ValueError):
    """A container-image function's folder cannot be built."""


def spec_id(spec: FunctionSpec) -> str:
    """`tutor_api` -> `TutorApi`: the id of a spec's constructs."""
    return "".join(part.capitalize() for part in spec.name.split("_"))


class Placement(Enum):
    """Where a function's network interfaces live."""

    OUTSIDE_VPC = "outside"  # needs only AWS APIs reachable from anywhere
    PRIVATE = "private"  # reaches the database or Kafka, and the internet through the NAT
    ISOLATED = "isolated"  # no route out of the VPC (the sandbox)


@dataclass(frozen=True)
class WiredFunction:
    spec: FunctionSpec
    function: lambda_.Function
    placement: Placement
    security_group: ec2.SecurityGroup | None


#: what Lambda does with a VPC function's role to attach it to its subnets (no resource-level scoping)
VPC_NETWORK_INTERFACE_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)


def execution_role(
    scope: Construct, construct_id: str, *, log_group: logs.ILogGroup, purpose: str, in_vpc: bool
) -> iam.Role:
    """A role that may write to its own log group (and join its VPC), nothing else until grants are added."""
    role = iam.Role(
        scope,
        construct_id,
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"Runs {purpose}",
    )
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[log_group.log_group_arn],
        )
    )
    if in_vpc:
        role.add_to_policy(iam.PolicyStatement(actions=list(VPC_NETWORK_INTERFACE_ACTIONS), resources=["*"]))
    return role


def base_environment(spec: FunctionSpec, config: StageConfig, cors_origins: Sequence[str]) -> dict[str, str]:
    environment = {
        "POWERTOOLS_SERVICE_NAME": spec.name,
        "POWERTOOLS_LOG_LEVEL": config.log_level,
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        # traces keep timings and errors, never response bodies (they hold users' data)
        "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
        "LEARNFLOW_STAGE": config.stage,
    }
    if spec.rest_routes and cors_origins:
        # API Gateway answers preflights; the function's own responses carry the allow header
        environment["LEARNFLOW_CORS_ORIGINS"] = ",".join(cors_origins)
    return environment


class LearnFlowFunctions(Construct):
    """The functions of the wiring, by spec name."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Iterable[FunctionSpec],
        code: lambda_.Code,
        layers: Sequence[lambda_.ILayerVersion],
        network: LearnFlowNetwork,
        placement_of: Callable[[FunctionSpec], Placement],
        client_groups_of: Callable[[FunctionSpec], Sequence[ec2.ISecurityGroup]],
        cors_origins: Sequence[str],
        config: StageConfig,
    ) -> None:
        super().__init__(scope, construct_id)
        self._network = network
        self._config = config
        self._cors_origins = cors_origins
        self._wired: dict[str, WiredFunction] = {}
        self._private_group: ec2.SecurityGroup | None = None
        self._client_groups_of = client_groups_of
        for spec in specs:
            self._wired[spec.name] = self._build(spec, placement_of(spec), code, layers)

    @property
    def wired(self) -> Mapping[str, WiredFunction]:
        return self._wired

    @property
    def by_name(self) -> Mapping[str, lambda_.Function]:
        return {name: wired.function for name, wired in self._wired.items()}

    def __getitem__(self, name: str) -> lambda_.Function:
        return self._wired[name].function

    def _build(
        self,
        spec: FunctionSpec,
        placement: Placement,
        code: lambda_.Code,
        layers: Sequence[lambda_.ILayerVersion],
    ) -> WiredFunction:
        name = spec_id(spec)
        function_name = self._config.name(spec.name)
        if len(function_name) > MAX_FUNCTION_NAME:
            raise ValueError(
                f"function {spec.name!r}: its AWS name {function_name!r} is longer than "
                f"{MAX_FUNCTION_NAME} characters; use a shorter developer name or function name"
            )
        log_group = logs.LogGroup(
            self,
            f"{name}Logs",
            log_group_name=f"/aws/lambda/{function_name}",
            retention=self._config.profile.log_retention,
            removal_policy=self._config.profile.retained_data_policy,
        )
        role = execution_role(
            self,
            f"{name}Role",
            log_group=log_group,
            purpose=f"the {spec.name} function",
            in_vpc=placement is not Placement.OUTSIDE_VPC,
        )
        security_group = self._security_group(name, spec, placement)
        common = {
            "function_name": function_name,
            "description": spec.description,
            "architecture": ARCHITECTURE,
            "timeout": Duration.seconds(spec.timeout_seconds),
            "memory_size": spec.memory_mb,
            "tracing": lambda_.Tracing.ACTIVE,
            "log_group": log_group,
            "role": role,
            "environment": base_environment(spec, self._config, self._cors_origins),
            **self._network_options(placement, [security_group, *self._client_groups_of(spec)]),
        }
        function: lambda_.Function
        if spec.image_directory is None:
            function = lambda_.Function(
                self,
                name,
                runtime=RUNTIME,
                handler=spec.handler,
                code=code,
                layers=list(layers),
                reserved_concurrent_executions=spec.reserved_concurrency,
                **common,  # type: ignore[arg-type]
            )
        else:
            image_directory = REPO_ROOT / spec.image_directory
            if not (image_directory / "Dockerfile").is_file():
                raise ImageDirectoryError(
                    f"function {spec.name!r}: image_directory {spec.image_directory!r} has no Dockerfile "
                    f"(expected {image_directory / 'Dockerfile'})"
                )
            function = lambda_.DockerImageFunction(
                self,
                name,
                code=lambda_.DockerImageCode.from_image_asset(
                    str(image_directory),
                    cmd=[spec.handler],
                    platform=ecr_assets.Platform.LINUX_AMD64,
                ),
                reserved_concurrent_executions=spec.reserved_concurrency
                or DEFAULT_IMAGE_RESERVED_CONCURRENCY,
                **common,  # type: ignore[arg-type]
            )
        Tags.of(function).add(FUNCTION_TAG, spec.name)
        return WiredFunction(spec, function, placement, security_group)

    def _security_group(
        self, name: str, spec: FunctionSpec, placement: Placement
    ) -> ec2.SecurityGroup | None:
        """HTTPS out; capabilities add their groups (database clients, Kafka clients) to the function."""
        if placement is Placement.OUTSIDE_VPC:
            return None
        if placement is Placement.PRIVATE:
            if self._private_group is None:
                self._private_group = self._network.security_group(
                    self, "PrivateSecurityGroup", "Functions in private subnets: HTTPS out"
                )
                self._private_group.add_egress_rule(
                    ec2.Peer.any_ipv4(), HTTPS, "AWS APIs, the LLM API and @connections"
                )
            return self._private_group
        group = self._network.security_group(
            self, f"{name}SecurityGroup", f"The {spec.name} function: AWS APIs through the VPC endpoints only"
        )
        group.add_egress_rule(
            self._network.endpoint_security_group, HTTPS, "AWS APIs through the VPC endpoints"
        )
        return group

    def _network_options(
        self, placement: Placement, security_groups: Sequence[ec2.ISecurityGroup | None]
    ) -> dict[str, object]:
        if placement is Placement.OUTSIDE_VPC:
            return {}
        subnets = LearnFlowNetwork.PRIVATE if placement is Placement.PRIVATE else LearnFlowNetwork.ISOLATED
        groups = [group for group in security_groups if group is not None]
        return {"vpc": self._network.vpc, "vpc_subnets": subnets, "security_groups": groups}
