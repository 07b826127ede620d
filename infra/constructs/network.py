"""The VPC: public subnets for the NAT, private subnets for functions, isolated ones for data and the sandbox.

Interface endpoints keep calls to AWS services (Secrets Manager, CloudWatch, X-Ray, STS,
Lambda) inside the VPC, so isolated subnets need no NAT and private ones use it only for the
internet (the LLM API, the WebSocket `@connections` API).
"""

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import StageConfig

VPC_CIDR = "10.40.0.0/16"
HTTPS = ec2.Port.tcp(443)

#: the AWS APIs functions, the rotation function and the Kafka pollers call, by construct id
INTERFACE_ENDPOINTS: dict[str, ec2.InterfaceVpcEndpointAwsService] = {
    "SecretsManager": ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    "Logs": ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    "Monitoring": ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
    "XRay": ec2.InterfaceVpcEndpointAwsService.XRAY,
    # MSK event source mappings in a VPC reach Lambda and STS through these (no NAT needed)
    "Sts": ec2.InterfaceVpcEndpointAwsService.STS,
    "Lambda": ec2.InterfaceVpcEndpointAwsService.LAMBDA_,
}


class LearnFlowNetwork(Construct):
    PRIVATE = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
    ISOLATED = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        profile = config.profile
        flow_log_group = logs.LogGroup(
            self,
            "FlowLogs",
            retention=profile.log_retention,
            removal_policy=profile.retained_data_policy,
        )
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            vpc_name=config.name("vpc"),
            ip_addresses=ec2.IpAddresses.cidr(VPC_CIDR),
            max_azs=profile.availability_zones,
            nat_gateways=profile.nat_gateways,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24),
                ec2.SubnetConfiguration(
                    name="Private", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=20
                ),
                ec2.SubnetConfiguration(
                    name="Isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
                ),
            ],
            gateway_endpoints={
                "S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)
            },
            flow_logs={
                "All": ec2.FlowLogOptions(
                    destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_log_group),
                    traffic_type=ec2.FlowLogTrafficType.ALL,
                )
            },
        )
        self.endpoint_security_group = ec2.SecurityGroup(
            self,
            "EndpointSecurityGroup",
            vpc=self.vpc,
            description="Interface VPC endpoints: HTTPS from inside the VPC",
            allow_all_outbound=False,
        )
        self.endpoint_security_group.add_ingress_rule(
            ec2.Peer.ipv4(VPC_CIDR), HTTPS, "HTTPS to AWS APIs from the VPC"
        )
        self.endpoints: dict[str, ec2.InterfaceVpcEndpoint] = {
            endpoint_id: self.vpc.add_interface_endpoint(
                endpoint_id,
                service=service,
                subnets=self.ISOLATED,
                security_groups=[self.endpoint_security_group],
                private_dns_enabled=True,
                open=False,
            )
            for endpoint_id, service in INTERFACE_ENDPOINTS.items()
        }

    @property
    def secrets_manager_endpoint(self) -> ec2.InterfaceVpcEndpoint:
        return self.endpoints["SecretsManager"]

    def security_group(self, scope: Construct, construct_id: str, description: str) -> ec2.SecurityGroup:
        """A security group that allows nothing out until rules are added."""
        return ec2.SecurityGroup(
            scope, construct_id, vpc=self.vpc, description=description, allow_all_outbound=False
        )
