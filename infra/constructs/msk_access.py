"""IAM statements for functions that reach MSK with IAM authentication."""

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import Fn
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_


@dataclass(frozen=True)
class MskCluster:
    """An MSK cluster, and the ARNs of its topics and consumer groups that IAM policies name."""

    arn: str
    name: str

    def _resource_arn(self, kind: str, resource: str) -> str:
        # arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>
        account_part = Fn.select(0, Fn.split(":cluster/", self.arn))
        uuid = Fn.select(2, Fn.split("/", self.arn))
        return Fn.join("", [account_part, f":{kind}/{self.name}/", uuid, f"/{resource}"])

    def topic_arn(self, topic: str) -> str:
        return self._resource_arn("topic", topic)

    def group_arn(self, group: str) -> str:
        return self._resource_arn("group", group)


def grant_publish(function: lambda_.IFunction, cluster: MskCluster, topics: Sequence[str]) -> None:
    """Producing to the contract's topics (the outbox decides which)."""
    function.add_to_role_policy(
        iam.PolicyStatement(
            actions=["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"],
            resources=[cluster.arn],
        )
    )
    function.add_to_role_policy(
        iam.PolicyStatement(
            actions=["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
            resources=[cluster.topic_arn(topic) for topic in topics],
        )
    )


def grant_consume(function: lambda_.IFunction, cluster: MskCluster, *, topic: str, group: str) -> None:
    """What an MSK event source mapping with IAM auth reads one topic with, as one group.

    The mapping itself adds AWS's AWSLambdaMSKExecutionRole (cluster description and the
    network interfaces its pollers need); this adds the data-plane reads IAM auth checks.
    """
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
