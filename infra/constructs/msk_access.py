"""IAM statements for functions that reach MSK with IAM authentication."""

from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_

from infra.config import MskCluster

# What an MSK event source mapping's pollers need from the function's role: network
# interfaces in the cluster's VPC (the ec2 actions support no resource-level scoping).
_ESM_NETWORK_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
)


def grant_publish(function: lambda_.IFunction, cluster: MskCluster) -> None:
    """Producing to any topic of the cluster (the outbox decides which)."""
    function.add_to_role_policy(
        iam.PolicyStatement(
            actions=["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"],
            resources=[cluster.arn],
        )
    )
    function.add_to_role_policy(
        iam.PolicyStatement(
            actions=["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
            resources=[cluster.topic_arn("*")],
        )
    )


def grant_consume(function: lambda_.IFunction, cluster: MskCluster, *, topic: str, group: str) -> None:
    """What an MSK event source mapping with IAM auth reads one topic with, as one group."""
    function.add_to_role_policy(
        iam.PolicyStatement(
            actions=[
                "kafka:DescribeClusterV2",
                "kafka-cluster:Connect",
                "kafka-cluster:DescribeClusterDynamicConfiguration",
            ],
            resources=[cluster.arn],
        )
    )
    function.add_to_role_policy(
        iam.PolicyStatement(
            actions=["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
            resources=[cluster.topic_arn(topic)],
        )
    )
    function.add_to_role_policy(
        iam.PolicyStatement(
            actions=["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
            resources=[cluster.group_arn(group)],
        )
    )
    function.add_to_role_policy(iam.PolicyStatement(actions=list(_ESM_NETWORK_ACTIONS), resources=["*"]))
