"""MSK event source mappings: one per KafkaSource of the wiring, each with its dead-letter queue.

The queue is the mapping's on-failure destination and where the consumer itself parks poison
records (`DEAD_LETTER_QUEUE_URL`, learnflow.messaging.poison_records): the mapping sends with the
function's role, so that role may send to its own queue and to no other.
"""

import re
from collections.abc import Iterable, Mapping

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct, IDependable

from infra.constructs.functions import LearnFlowFunctions, spec_id
from infra.constructs.msk_access import MskCluster, grant_consume
from infra.wiring import FunctionSpec, KafkaSource

DLQ_RETENTION = Duration.days(14)
#: the consumer's own dead-letter queue, where it parks records it can never process
DEAD_LETTER_QUEUE_URL = "DEAD_LETTER_QUEUE_URL"
# Retry attempts and on-failure destinations of Kafka mappings need provisioned mode.
MINIMUM_POLLERS = 1
MAXIMUM_POLLERS = 3


def consumer_group(prefix: str, spec: FunctionSpec, source: KafkaSource) -> str:
    """One stable consumer group per mapping, so a replaced mapping resumes at its offsets."""
    return f"{prefix}-{spec.name}-{source.topic.value}"


def _topic_id(source: KafkaSource) -> str:
    return "".join(part.capitalize() for part in re.split(r"[._-]", source.topic.value))


class ConsumerWiringError(ValueError):
    """A function the CDK app cannot give one dead-letter queue for its poison records."""


class KafkaConsumers(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Iterable[FunctionSpec],
        functions: LearnFlowFunctions,
        cluster: MskCluster,
        prefix: str,
        topics_ready: IDependable,
        queue_removal_policy: RemovalPolicy,
    ) -> None:
        super().__init__(scope, construct_id)
        self._dead_letter_queues: dict[tuple[str, str], sqs.Queue] = {}
        self._topics_ready = topics_ready
        self._queue_removal_policy = queue_removal_policy
        for spec in specs:
            if len(spec.kafka_sources) > 1:
                raise ConsumerWiringError(
                    f"function {spec.name!r} consumes {len(spec.kafka_sources)} topics, but a consumer "
                    f"parks poison records in the one dead-letter queue named by {DEAD_LETTER_QUEUE_URL}: "
                    "give each topic its own function"
                )
            for source in spec.kafka_sources:
                self._subscribe(spec, source, functions[spec.name], cluster, prefix)

    @property
    def dead_letter_queues(self) -> Mapping[tuple[str, str], sqs.Queue]:
        """By (function name, topic)."""
        return self._dead_letter_queues

    def _subscribe(
        self,
        spec: FunctionSpec,
        source: KafkaSource,
        function: lambda_.Function,
        cluster: MskCluster,
        prefix: str,
    ) -> None:
        name = f"{spec_id(spec)}{_topic_id(source)}"
        dead_letters = sqs.Queue(
            self,
            f"{name}DeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=DLQ_RETENTION,
            removal_policy=self._queue_removal_policy,
        )
        self._dead_letter_queues[(spec.name, source.topic.value)] = dead_letters
        # SqsDlq below grants the role sqs:SendMessage on this queue (the mapping sends with it)
        function.add_environment(DEAD_LETTER_QUEUE_URL, dead_letters.queue_url)
        group = consumer_group(prefix, spec, source)
        grant_consume(function, cluster, topic=source.topic.value, group=group)
        function.add_event_source(
            event_sources.ManagedKafkaEventSource(
                cluster_arn=cluster.arn,
                topic=source.topic.value,
                consumer_group_id=group,
                starting_position=lambda_.StartingPosition[source.starting_position],
                batch_size=source.batch_size,
                max_batching_window=Duration.seconds(source.batching_window_seconds),
                retry_attempts=source.maximum_retry_attempts,
                on_failure=event_sources.SqsDlq(dead_letters),
                # consumers answer with Powertools' partial batch response, as the local cloud honours
                report_batch_item_failures=True,
                provisioned_poller_config=event_sources.ProvisionedPollerConfig(
                    minimum_pollers=MINIMUM_POLLERS, maximum_pollers=MAXIMUM_POLLERS
                ),
            )
        )
        for child in function.node.children:  # a mapping polls only once its topic exists
            if isinstance(child, lambda_.EventSourceMapping):
                child.node.add_dependency(self._topics_ready)
