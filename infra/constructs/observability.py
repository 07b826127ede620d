"""A CloudWatch dashboard of the whole system, and alarms that notify an SNS topic.

Dashboard rows: the APIs (latency, errors), LearnFlow's own metrics (what the functions emit in
CloudWatch's embedded metric format: questions, answers, runs, submissions, struggle, notifications,
the LLM, poison records; docs/observability.md), the functions (errors, throttles), the Kafka
consumers (offset lag, dead-letter queues), the sandbox (runs, duration, errors) and the
database. Every alarm sends to the topic; `-c alarm_email=...` subscribes an address.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.config import StageConfig
from infra.constructs.database import LearnFlowDatabase
from infra.constructs.functions import WiredFunction

PERIOD = Duration.minutes(5)
API_LATENCY_P95_MS = 3000
API_5XX_PER_PERIOD = 5
API_5XX_RATE_PERCENT = 5
#: the namespace and the dimension every metric of the functions has (learnflow.observability)
APP_NAMESPACE = "LearnFlow"
APP_SERVICE = "learnflow"
CONSUMER_LAG_RECORDS = 1000
DATABASE_CPU_PERCENT = 80
DATABASE_FREE_STORAGE_BYTES = 2 * 1024**3
GRAPH_WIDTH = 12
METRICS_PER_ALARM = 10
AT_LEAST = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD


@dataclass(frozen=True)
class ObservedApis:
    rest_api: apigateway.RestApi
    websocket_api: apigwv2.WebSocketApi
    websocket_stage: apigwv2.WebSocketStage


class LearnFlowObservability(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        functions: Iterable[WiredFunction],
        apis: ObservedApis,
        dead_letter_queues: Mapping[tuple[str, str], sqs.IQueue],
        database: LearnFlowDatabase,
    ) -> None:
        super().__init__(scope, construct_id)
        self._config = config
        self.alarms: list[cloudwatch.Alarm] = []
        wired = list(functions)
        key = kms.Key(
            self,
            "AlarmTopicKey",
            description=f"{config.prefix}: encrypts the alarm notifications",
            enable_key_rotation=True,
            removal_policy=config.profile.retained_data_policy,
        )
        # CloudWatch publishes to the encrypted topic, so it may use the key.
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
            )
        )
        self.topic = sns.Topic(
            self, "Alarms", topic_name=config.name("alarms"), master_key=key, enforce_ssl=True
        )
        if config.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        self._action = cloudwatch_actions.SnsAction(self.topic)

        consumers = [w for w in wired if w.spec.kafka_sources]
        sandboxes = [w for w in wired if w.spec.image_directory is not None]
        self.dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=config.name("overview"),
            default_interval=Duration.hours(3),
        )
        self.dashboard.add_widgets(
            cloudwatch.TextWidget(markdown=f"# LearnFlow {config.prefix}", width=24, height=1)
        )
        self.dashboard.add_widgets(*self._api_widgets(apis))
        self.dashboard.add_widgets(*self._business_widgets())
        self.dashboard.add_widgets(*self._function_widgets(wired))
        self.dashboard.add_widgets(*self._consumer_widgets(consumers, dead_letter_queues))
        if sandboxes:
            self.dashboard.add_widgets(*self._sandbox_widgets(sandboxes))
        self.dashboard.add_widgets(*self._database_widgets(database))

    # --- alarms ---------------------------------------------------------------------------

    def _alarm(
        self,
        construct_id: str,
        metric: cloudwatch.IMetric,
        *,
        threshold: float,
        description: str,
        periods: int = 1,
        comparison: cloudwatch.ComparisonOperator = AT_LEAST,
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            alarm_name=self._config.name(_kebab(construct_id)),
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            comparison_operator=comparison,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(self._action)
        alarm.add_ok_action(self._action)
        self.alarms.append(alarm)
        return alarm

    # --- rows -----------------------------------------------------------------------------

    def _api_widgets(self, apis: ObservedApis) -> Sequence[cloudwatch.IWidget]:
        rest = apis.rest_api
        latency_p95 = rest.metric_latency(statistic="p95", period=PERIOD, label="p95")
        server_errors = rest.metric_server_error(statistic="Sum", period=PERIOD, label="5XX")
        self._alarm(
            "RestApiLatency",
            latency_p95,
            threshold=API_LATENCY_P95_MS,
            periods=3,
            description=f"REST API p95 latency above {API_LATENCY_P95_MS} ms for 15 minutes",
        )
        self._alarm(
            "RestApiServerErrors",
            server_errors,
            threshold=API_5XX_PER_PERIOD,
            description=f"REST API answered {API_5XX_PER_PERIOD} or more 5XX in 5 minutes",
        )
        self._alarm(
            "RestApiServerErrorRate",
            cloudwatch.MathExpression(
                expression="IF(requests > 0, 100 * errors / requests, 0)",
                using_metrics={
                    "errors": server_errors,
                    "requests": rest.metric_count(statistic="Sum", period=PERIOD),
                },
                period=PERIOD,
                label="5XX rate (%)",
            ),
            threshold=API_5XX_RATE_PERCENT,
            periods=2,
            description=f"{API_5XX_RATE_PERCENT}% or more of REST API requests answered 5XX for 10 minutes",
        )
        websocket_dimensions = {"ApiId": apis.websocket_api.api_id, "Stage": apis.websocket_stage.stage_name}
        return [
            cloudwatch.GraphWidget(
                title="REST API latency (ms)",
                width=GRAPH_WIDTH,
                left=[rest.metric_latency(statistic="p50", period=PERIOD, label="p50"), latency_p95],
            ),
            cloudwatch.GraphWidget(
                title="REST API errors and requests",
                width=GRAPH_WIDTH,
                left=[rest.metric_client_error(statistic="Sum", period=PERIOD, label="4XX"), server_errors],
                right=[rest.metric_count(statistic="Sum", period=PERIOD, label="requests")],
            ),
            cloudwatch.GraphWidget(
                title="WebSocket connections and messages",
                width=24,
                left=[
                    _metric("AWS/ApiGateway", name, websocket_dimensions, "Sum", name)
                    for name in ("ConnectCount", "MessageCount", "ClientError", "ExecutionError")
                ],
            ),
        ]

    def _business_widgets(self) -> Sequence[cloudwatch.IWidget]:
        """LearnFlow's own metrics, a line per value of their dimensions (a SEARCH finds every intent...)."""

        def by(metric: str, *dimensions: str, statistic: str = "Sum") -> cloudwatch.MathExpression:
            """Every series of the metric: a SEARCH names its exact dimensions, `service` included."""
            schema = ",".join([APP_NAMESPACE, "service", *dimensions])
            return cloudwatch.MathExpression(
                expression=(
                    f"SEARCH('{{{schema}}} MetricName=\"{metric}\"', '{statistic}', {PERIOD.to_seconds()})"
                ),
                using_metrics={},
                label=f"{metric} {statistic}",
                period=PERIOD,
            )

        def plain(metric: str, statistic: str = "Sum", label: str | None = None) -> cloudwatch.Metric:
            return _metric(APP_NAMESPACE, metric, {"service": APP_SERVICE}, statistic, label or metric)

        return [
            cloudwatch.GraphWidget(
                title="Questions by intent, answers by source",
                width=GRAPH_WIDTH,
                left=[by("QuestionsAsked", "channel", "intent")],
                right=[by("TutorAnswers", "intent", "source")],
            ),
            cloudwatch.GraphWidget(
                title="Triage confidence (p10, p50)",
                width=GRAPH_WIDTH,
                left=[
                    by("TriageConfidence", "intent", statistic="p10"),
                    by("TriageConfidence", "intent", statistic="p50"),
                ],
            ),
            cloudwatch.GraphWidget(
                title="Programs run by status, submissions graded by result",
                width=GRAPH_WIDTH,
                left=[by("ProgramsRun", "status")],
                right=[by("SubmissionsGraded", "result")],
            ),
            cloudwatch.GraphWidget(
                title="Struggle episodes and notifications",
                width=GRAPH_WIDTH,
                left=[plain("StruggleEpisodesOpened"), by("StruggleEpisodesClosed", "reason")],
                right=[by("NotificationsSent", "kind")],
            ),
            cloudwatch.GraphWidget(
                title="LLM: answers, fallbacks and tokens",
                width=GRAPH_WIDTH,
                left=[plain("LlmAnswers"), plain("LlmFallbacks"), plain("LlmCircuitOpened")],
                right=[plain("LlmPromptTokens"), plain("LlmCompletionTokens")],
            ),
            cloudwatch.GraphWidget(
                title="Poison records parked",
                width=GRAPH_WIDTH,
                left=[by("PoisonRecordsParked", "function", "reason")],
            ),
        ]

    def _grouped_alarms(
        self,
        construct_id: str,
        metrics: Sequence[cloudwatch.IMetric],
        *,
        combine: str,
        threshold: float,
        description: str,
        periods: int = 1,
    ) -> None:
        """One alarm per ten metrics (CloudWatch's limit per alarm), over their SUM or MAX."""
        for index in range(0, len(metrics), METRICS_PER_ALARM):
            chunk = metrics[index : index + METRICS_PER_ALARM]
            names = {f"m{position}": metric for position, metric in enumerate(chunk)}
            filled = ", ".join(f"FILL({name}, 0)" for name in names)
            expression = f"SUM([{filled}])" if combine == "SUM" else f"MAX([{filled}])"
            labels = ", ".join(str(getattr(metric, "label", "") or "") for metric in chunk)
            self._alarm(
                f"{construct_id}{index // METRICS_PER_ALARM + 1}",
                cloudwatch.MathExpression(
                    expression=expression, using_metrics=names, period=PERIOD, label=construct_id
                ),
                threshold=threshold,
                periods=periods,
                description=f"{description} (among: {labels})",
            )

    def _function_widgets(self, wired: Sequence[WiredFunction]) -> Sequence[cloudwatch.IWidget]:
        errors = [
            item.function.metric_errors(period=PERIOD, statistic="Sum", label=item.spec.name)
            for item in wired
        ]
        throttles = [
            item.function.metric_throttles(period=PERIOD, statistic="Sum", label=item.spec.name)
            for item in wired
        ]
        self._grouped_alarms(
            "FunctionErrors",
            errors,
            combine="SUM",
            threshold=1,
            description="A function failed (an error or a timeout) in the last 5 minutes",
        )
        self._grouped_alarms(
            "FunctionThrottles",
            throttles,
            combine="SUM",
            threshold=1,
            description="A function was throttled in the last 5 minutes",
        )
        return [
            cloudwatch.GraphWidget(title="Function errors", width=GRAPH_WIDTH, left=errors),
            cloudwatch.GraphWidget(title="Function throttles", width=GRAPH_WIDTH, left=throttles),
        ]

    def _consumer_widgets(
        self, consumers: Sequence[WiredFunction], dead_letter_queues: Mapping[tuple[str, str], sqs.IQueue]
    ) -> Sequence[cloudwatch.IWidget]:
        lags = [
            _metric(
                "AWS/Lambda",
                "OffsetLag",
                {"FunctionName": item.function.function_name},
                "Maximum",
                item.spec.name,
            )
            for item in consumers
        ]
        depths = [
            queue.metric_approximate_number_of_messages_visible(
                period=PERIOD, statistic="Maximum", label=f"{function_name} <- {topic}"
            )
            for (function_name, topic), queue in dead_letter_queues.items()
        ]
        self._grouped_alarms(
            "ConsumerLag",
            lags,
            combine="MAX",
            threshold=CONSUMER_LAG_RECORDS,
            periods=3,
            description=f"A Kafka consumer is {CONSUMER_LAG_RECORDS} or more records behind for 15 minutes",
        )
        self._grouped_alarms(
            "DeadLetters",
            depths,
            combine="SUM",
            threshold=1,
            description="Records a consumer kept failing wait in its dead-letter queue",
        )
        return [
            cloudwatch.GraphWidget(title="Kafka consumer lag (records)", width=GRAPH_WIDTH, left=lags),
            cloudwatch.GraphWidget(title="Dead-letter queue depth", width=GRAPH_WIDTH, left=depths),
        ]

    def _sandbox_widgets(self, sandboxes: Sequence[WiredFunction]) -> Sequence[cloudwatch.IWidget]:
        return [
            cloudwatch.GraphWidget(
                title="Sandbox runs",
                width=GRAPH_WIDTH,
                left=[
                    item.function.metric_invocations(period=PERIOD, statistic="Sum", label=item.spec.name)
                    for item in sandboxes
                ],
                right=[
                    item.function.metric_errors(
                        period=PERIOD, statistic="Sum", label=f"{item.spec.name} errors"
                    )
                    for item in sandboxes
                ],
            ),
            cloudwatch.GraphWidget(
                title="Sandbox duration (ms)",
                width=GRAPH_WIDTH,
                left=[
                    item.function.metric_duration(
                        period=PERIOD, statistic="p95", label=f"{item.spec.name} p95"
                    )
                    for item in sandboxes
                ],
            ),
        ]

    def _database_widgets(self, database: LearnFlowDatabase) -> Sequence[cloudwatch.IWidget]:
        cpu = database.instance.metric_cpu_utilization(period=PERIOD, statistic="Average")
        free_storage = database.instance.metric_free_storage_space(period=PERIOD, statistic="Minimum")
        self._alarm(
            "DatabaseCpu",
            cpu,
            threshold=DATABASE_CPU_PERCENT,
            periods=3,
            description=f"Database CPU above {DATABASE_CPU_PERCENT}% for 15 minutes",
        )
        self._alarm(
            "DatabaseFreeStorage",
            free_storage,
            threshold=DATABASE_FREE_STORAGE_BYTES,
            comparison=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            description="Database free storage below 2 GiB",
        )
        return [
            cloudwatch.GraphWidget(title="Database CPU (%)", width=GRAPH_WIDTH, left=[cpu]),
            cloudwatch.GraphWidget(
                title="Database connections",
                width=GRAPH_WIDTH,
                left=[database.instance.metric_database_connections(period=PERIOD, statistic="Maximum")],
                right=[free_storage],
            ),
        ]


def _metric(
    namespace: str, name: str, dimensions: Mapping[str, str], statistic: str, label: str
) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace=namespace,
        metric_name=name,
        dimensions_map=dict(dimensions),
        statistic=statistic,
        period=PERIOD,
        label=label,
    )


def _kebab(construct_id: str) -> str:
    return "".join(f"-{char.lower()}" if char.isupper() else char for char in construct_id).lstrip("-")
