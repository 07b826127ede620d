"""Custom resource: creates the contract's Kafka topics on the MSK cluster at deploy time.

It also answers the cluster's IAM bootstrap brokers, which CloudFormation does not expose,
so the publishers' configuration comes from here. Topics that exist are left as they are;
deleting the resource deletes no topic (they go with the cluster).
"""

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import boto3
from aiokafka.abc import AbstractTokenProvider
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.helpers import create_ssl_context

from learnflow.messaging.publisher import MskIamTokenProvider

TOPIC_ALREADY_EXISTS = 36
ADMIN_TIMEOUT_MS = 30_000

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)


class TopicCreationError(RuntimeError):
    """The broker refused to create a topic; the message names it and the broker's error code."""


def on_event(event: Mapping[str, Any], _context: object) -> dict[str, Any]:
    properties = event["ResourceProperties"]
    cluster_arn = str(properties["ClusterArn"])
    physical_id = f"{cluster_arn}/topics"
    if event["RequestType"] == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId", physical_id)}
    brokers = bootstrap_brokers(cluster_arn)
    created = asyncio.run(
        ensure_topics(
            iam_admin_options(brokers, region=str(boto3.session.Session().region_name)),
            topics=list(properties["Topics"]),
            partitions=int(properties["Partitions"]),
            replication_factor=int(properties["ReplicationFactor"]),
        )
    )
    logger.info("topics created now: %s", created or "none")
    return {"PhysicalResourceId": physical_id, "Data": {"BootstrapBrokers": brokers}}


def bootstrap_brokers(cluster_arn: str) -> str:
    answer = boto3.client("kafka").get_bootstrap_brokers(ClusterArn=cluster_arn)
    return str(answer["BootstrapBrokerStringSaslIam"])


def iam_admin_options(brokers: str, *, region: str) -> dict[str, Any]:
    """How the admin client reaches MSK: TLS, and SASL/OAUTHBEARER tokens signed with the role."""
    tokens = MskIamTokenProvider(region)
    return {
        "bootstrap_servers": brokers,
        "security_protocol": "SASL_SSL",
        "ssl_context": create_ssl_context(),
        "sasl_mechanism": "OAUTHBEARER",
        # aiokafka checks the provider's class: a subclass of its AbstractTokenProvider
        "sasl_oauth_token_provider": type(
            "MskIamTokens", (AbstractTokenProvider,), {"token": tokens.token}
        )(),
    }


async def ensure_topics(
    admin_options: Mapping[str, Any], *, topics: Sequence[str], partitions: int, replication_factor: int
) -> list[str]:
    """Creates the topics that do not exist yet; returns their names."""
    admin = AIOKafkaAdminClient(**admin_options, request_timeout_ms=ADMIN_TIMEOUT_MS)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [topic for topic in topics if topic not in existing]
        if missing:
            response = await admin.create_topics(
                [NewTopic(topic, partitions, replication_factor) for topic in missing],
                timeout_ms=ADMIN_TIMEOUT_MS,
            )
            refused = [
                f"{error[0]} (error {error[1]})"
                for error in response.topic_errors
                if error[1] not in (0, TOPIC_ALREADY_EXISTS)
            ]
            if refused:
                raise TopicCreationError(f"the broker refused to create: {', '.join(refused)}")
        return missing
    finally:
        await admin.close()
