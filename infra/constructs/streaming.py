"""Kafka: an MSK Serverless cluster with IAM authentication, and the contract's topics.

The topics are created at deploy time by a custom resource (`infra/deploy_hooks/kafka_topics.py`),
which also answers the cluster's IAM bootstrap brokers for the publishers' configuration.
`docs/architecture-aws.md` argues for Serverless over a provisioned cluster.
"""

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_msk as msk
from constructs import Construct

from infra.config import StageConfig
from infra.constructs.deploy_hook import DeployHook
from infra.constructs.msk_access import MskCluster
from infra.constructs.network import LearnFlowNetwork
from learnflow.events.topics import ALL_TOPICS

IAM_PORT = 9098  # MSK's port for SASL/IAM over TLS
#: MSK Serverless keeps three replicas of every partition, whatever a client asks for
SERVERLESS_REPLICATION_FACTOR = 3


class LearnFlowStreaming(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        network: LearnFlowNetwork,
        hook_code: lambda_.Code,
        layers: Sequence[lambda_.ILayerVersion],
        topics: Sequence[str] = ALL_TOPICS,
    ) -> None:
        super().__init__(scope, construct_id)
        self.security_group = network.security_group(
            self, "ClusterSecurityGroup", "MSK: from publishers, the topic hook and the Kafka pollers"
        )
        # Event source mapping pollers run with the cluster's security group: brokers, Lambda, STS.
        self.security_group.add_ingress_rule(self.security_group, ec2.Port.tcp(IAM_PORT), "Kafka pollers")
        self.security_group.add_egress_rule(self.security_group, ec2.Port.tcp(IAM_PORT), "Kafka pollers")
        self.security_group.add_egress_rule(
            network.endpoint_security_group, ec2.Port.tcp(443), "Kafka pollers to the Lambda and STS APIs"
        )
        cluster_name = config.name("kafka")
        self.cfn_cluster = msk.CfnServerlessCluster(
            self,
            "Cluster",
            cluster_name=cluster_name,
            client_authentication=msk.CfnServerlessCluster.ClientAuthenticationProperty(
                sasl=msk.CfnServerlessCluster.SaslProperty(
                    iam=msk.CfnServerlessCluster.IamProperty(enabled=True)
                )
            ),
            vpc_configs=[
                msk.CfnServerlessCluster.VpcConfigProperty(
                    subnet_ids=network.vpc.select_subnets(
                        subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS
                    ).subnet_ids,
                    security_groups=[self.security_group.security_group_id],
                )
            ],
        )
        self.cluster = MskCluster(arn=self.cfn_cluster.attr_arn, name=cluster_name)
        self.topics = tuple(topics)
        #: publishers and the topic hook join this group: Kafka to the brokers, nothing else
        self.clients_security_group = network.security_group(
            self, "ClientsSecurityGroup", "Kafka clients: the IAM port of the brokers"
        )
        self.topic_hook = DeployHook(
            self,
            "Topics",
            handler="infra.deploy_hooks.kafka_topics.on_event",
            description="Creates the Kafka topics at deploy time",
            resource_type="Custom::LearnFlowKafkaTopics",
            code=hook_code,
            layers=layers,
            network=network,
            config=config,
            extra_security_groups=[self.clients_security_group],
            timeout=Duration.minutes(3),
            properties={
                "ClusterArn": self.cluster.arn,
                "Topics": list(self.topics),
                "Partitions": str(config.profile.topic_partitions),
                "ReplicationFactor": str(SERVERLESS_REPLICATION_FACTOR),
            },
        )
        self.allow_clients(self.clients_security_group, "Kafka clients")
        self.topic_hook.function.add_to_role_policy(
            iam.PolicyStatement(actions=["kafka:GetBootstrapBrokers"], resources=[self.cluster.arn])
        )
        self.topic_hook.function.add_to_role_policy(
            iam.PolicyStatement(actions=["kafka-cluster:Connect"], resources=[self.cluster.arn])
        )
        self.topic_hook.function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic"],
                resources=[self.cluster.topic_arn(topic) for topic in self.topics],
            )
        )
        #: the IAM bootstrap brokers; reading it makes a function wait for the topics
        self.bootstrap_servers = self.topic_hook.resource.get_att_string("BootstrapBrokers")

    def allow_clients(self, client: ec2.SecurityGroup, who: str) -> None:
        port = ec2.Port.tcp(IAM_PORT)
        self.security_group.add_ingress_rule(client, port, f"Kafka from {who}")
        client.add_egress_rule(self.security_group, port, "Kafka brokers")
