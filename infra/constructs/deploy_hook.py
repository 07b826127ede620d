"""A custom resource whose handler is one of `infra/deploy_hooks/`: work done during `cdk deploy`."""

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import CustomResource, Duration, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from constructs import Construct

from infra.config import StageConfig
from infra.constructs.functions import ARCHITECTURE, RUNTIME, execution_role
from infra.constructs.network import HTTPS, LearnFlowNetwork

DEPLOY_HOOK_TAG = "learnflow:deploy-hook"
DEFAULT_TIMEOUT = Duration.minutes(5)


class DeployHook(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        handler: str,
        description: str,
        resource_type: str,
        code: lambda_.Code,
        layers: Sequence[lambda_.ILayerVersion],
        network: LearnFlowNetwork,
        config: StageConfig,
        properties: Mapping[str, Any],
        environment: Mapping[str, str] | None = None,
        extra_security_groups: Sequence[ec2.ISecurityGroup] = (),
        timeout: Duration | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        log_group = logs.LogGroup(
            self,
            "Logs",
            retention=config.profile.log_retention,
            removal_policy=config.profile.retained_data_policy,
        )
        self.security_group = network.security_group(self, "SecurityGroup", description)
        self.security_group.add_egress_rule(
            ec2.Peer.any_ipv4(), HTTPS, "AWS APIs and the CloudFormation response"
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=handler,
            code=code,
            layers=list(layers),
            timeout=timeout or DEFAULT_TIMEOUT,
            memory_size=512,
            log_group=log_group,
            role=execution_role(self, "Role", log_group=log_group, purpose=description, in_vpc=True),
            environment=dict(environment or {}),
            vpc=network.vpc,
            vpc_subnets=LearnFlowNetwork.PRIVATE,
            security_groups=[self.security_group, *extra_security_groups],
        )
        Tags.of(self.function).add(DEPLOY_HOOK_TAG, construct_id)
        self.provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=self.function,
            log_group=logs.LogGroup(
                self,
                "ProviderLogs",
                retention=config.profile.log_retention,
                removal_policy=config.profile.retained_data_policy,
            ),
        )
        self.resource = CustomResource(
            self,
            "Resource",
            service_token=self.provider.service_token,
            resource_type=resource_type,
            properties=dict(properties),
        )
