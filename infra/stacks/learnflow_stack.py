"""LearnFlow's functions, APIs, event source mappings and schedules, built from the wiring."""

from collections.abc import Sequence
from typing import Any

from aws_cdk import Annotations, CfnOutput, Stack, Tags
from constructs import Construct

from infra.assets import stage_functions_package
from infra.config import PLACEHOLDER_MSK_CLUSTER_ARN, StageConfig
from infra.constructs.capabilities import CapabilityResources, apply_capabilities
from infra.constructs.event_sources import KafkaConsumers
from infra.constructs.functions import LearnFlowFunctions
from infra.constructs.rest_api import LearnFlowRestApi
from infra.constructs.schedules import Schedules
from infra.constructs.secrets import LearnFlowSecrets
from infra.constructs.websocket_api import LearnFlowWebSocketApi
from infra.wiring import ALL_FUNCTIONS, AUTHORIZER, FunctionSpec


class LearnFlowStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        specs: Sequence[FunctionSpec] = ALL_FUNCTIONS,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        Tags.of(self).add("project", "learnflow")
        Tags.of(self).add("stage", config.stage)
        self._warn_about_placeholders(config)

        secrets = LearnFlowSecrets(self, "Secrets", stage=config.stage)
        functions = LearnFlowFunctions(
            self,
            "Functions",
            specs=specs,
            code_dir=stage_functions_package(),
            stage=config.stage,
            log_level=config.log_level,
        )
        authorizer = functions[AUTHORIZER.name]
        throttling = {
            "throttling_rate_limit": config.throttling_rate_limit,
            "throttling_burst_limit": config.throttling_burst_limit,
        }
        rest_api = LearnFlowRestApi(
            self,
            "RestApi",
            specs=specs,
            functions=functions,
            authorizer_function=authorizer,
            stage=config.stage,
            **throttling,
        )
        websocket_api = LearnFlowWebSocketApi(
            self,
            "WebSocketApi",
            specs=specs,
            functions=functions,
            authorizer_function=authorizer,
            stage=config.stage,
            **throttling,
        )
        KafkaConsumers(
            self,
            "KafkaConsumers",
            specs=specs,
            functions=functions,
            cluster=config.msk_cluster,
            stage=config.stage,
        )
        Schedules(self, "Schedules", specs=specs, functions=functions)

        resources = CapabilityResources(
            database_secret=secrets.database,
            token_signing_key=secrets.token_signing_key,
            msk_cluster=config.msk_cluster,
            kafka_bootstrap_servers=config.kafka_bootstrap_servers,
            websocket_stage=websocket_api.stage,
        )
        for spec in specs:
            apply_capabilities(spec, functions[spec.name], resources)

        CfnOutput(self, "RestApiUrl", value=rest_api.api.url, description="Base URL of the REST API")
        CfnOutput(self, "WebSocketUrl", value=websocket_api.stage.url, description="URL students connect to")
        CfnOutput(
            self,
            "WebSocketCallbackUrl",
            value=websocket_api.stage.callback_url,
            description="The @connections management API",
        )

    def _warn_about_placeholders(self, config: StageConfig) -> None:
        if config.msk_cluster.arn == PLACEHOLDER_MSK_CLUSTER_ARN:
            Annotations.of(self).add_warning_v2(
                "learnflow:placeholderMskCluster",
                "msk_cluster_arn is a placeholder: pass -c msk_cluster_arn=<arn> to deploy",
            )
        if not config.kafka_bootstrap_servers:
            Annotations.of(self).add_warning_v2(
                "learnflow:noKafkaBootstrapServers",
                "kafka_bootstrap_servers is empty: publishers will refuse to start; "
                "pass -c kafka_bootstrap_servers=<brokers> to deploy",
            )
