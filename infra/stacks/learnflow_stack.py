"""One deployment of LearnFlow: network, data, streaming, functions, APIs, web site and observability.

Everything is built from the wiring declaration (`infra/wiring.py`): a FunctionSpec added
there gets its function, routes, mappings, schedule, grants and alarms here with no change.
"""

from collections.abc import Sequence
from typing import Any

from aws_cdk import CfnOutput, Stack, Tags
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.assets import migrations_digest, stage_deploy_hooks, stage_functions_package
from infra.config import StageConfig
from infra.constructs.api_docs import ApiDocs
from infra.constructs.capabilities import (
    CapabilityResources,
    NetworkPeers,
    apply_capabilities,
    check_capabilities,
    client_groups,
    needs_vpc,
)
from infra.constructs.database import LearnFlowDatabase
from infra.constructs.deploy_hook import DeployHook
from infra.constructs.event_sources import KafkaConsumers
from infra.constructs.functions import LearnFlowFunctions, Placement
from infra.constructs.layers import SharedLayers
from infra.constructs.network import LearnFlowNetwork
from infra.constructs.observability import LearnFlowObservability, ObservedApis
from infra.constructs.rest_api import BrowserOrigins, LearnFlowRestApi
from infra.constructs.schedules import Schedules
from infra.constructs.secrets import LearnFlowSecrets
from infra.constructs.streaming import LearnFlowStreaming
from infra.constructs.web_console import WebConsole
from infra.constructs.web_site import LearnFlowWebSite
from infra.constructs.websocket_api import LearnFlowWebSocketApi
from infra.wiring import ALL_FUNCTIONS, AUTHORIZER, FunctionSpec

#: CDK considers them taggable, CloudFormation refuses a Tags property on them
UNTAGGABLE_RESOURCE_TYPES = ("AWS::RDS::DBProxyTargetGroup",)


def placement_of(spec: FunctionSpec) -> Placement:
    if spec.image_directory is not None:
        return Placement.ISOLATED
    return Placement.PRIVATE if needs_vpc(spec) else Placement.OUTSIDE_VPC


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
        check_capabilities(specs)
        self.config = config
        tags = {"project": "learnflow", "stage": config.stage} | (
            {"developer": config.developer} if config.developer else {}
        )
        for key, value in tags.items():
            Tags.of(self).add(key, value, exclude_resource_types=list(UNTAGGABLE_RESOURCE_TYPES))

        self.network = LearnFlowNetwork(self, "Network", config=config)
        self.layers = SharedLayers(self, "Layers", config=config)
        hook_code = lambda_.Code.from_asset(str(stage_deploy_hooks()))
        self.database = LearnFlowDatabase(self, "Database", config=config, network=self.network)
        self.migrations = DeployHook(
            self,
            "Migrations",
            handler="infra.deploy_hooks.migrations.on_event",
            description="Applies the database migrations at deploy time",
            resource_type="Custom::LearnFlowMigrations",
            code=hook_code,
            layers=self.layers.all,
            network=self.network,
            config=config,
            environment={"DATABASE_SECRET_ARN": self.database.secret.secret_arn},
            properties={"MigrationsDigest": migrations_digest()},
        )
        self.database.secret.grant_read(self.migrations.function)
        self.database.allow_direct(self.migrations.security_group, "the migrations hook")
        self.migrations.resource.node.add_dependency(self.database.instance)
        self.streaming = LearnFlowStreaming(
            self,
            "Streaming",
            config=config,
            network=self.network,
            hook_code=hook_code,
            layers=self.layers.all,
        )
        self.secrets = LearnFlowSecrets(self, "Secrets", config=config)
        peers = NetworkPeers(database=self.database, streaming=self.streaming)
        # Built before the API, whose browser origins include the site's; pages needing the API come after it.
        self.web_site = LearnFlowWebSite(self, "WebSite", config=config)
        origins = BrowserOrigins(configured=config.allowed_origins, web_site=self.web_site.origin)

        self.functions = LearnFlowFunctions(
            self,
            "Functions",
            specs=specs,
            code=lambda_.Code.from_asset(str(stage_functions_package())),
            layers=self.layers.all,
            network=self.network,
            placement_of=placement_of,
            client_groups_of=lambda spec: client_groups(spec, peers),
            cors_origins=origins.all,
            config=config,
        )
        authorizer = self.functions[AUTHORIZER.name]
        self.rest_api = LearnFlowRestApi(
            self,
            "RestApi",
            specs=specs,
            functions=self.functions,
            authorizer_function=authorizer,
            origins=origins,
            config=config,
        )
        self.api_docs = ApiDocs(
            self,
            "ApiDocs",
            site=self.web_site,
            api_origin=self.rest_api.origin,
            api_url=self.rest_api.base_url,
            config=config,
        )
        self.websocket_api = LearnFlowWebSocketApi(
            self,
            "WebSocketApi",
            specs=specs,
            functions=self.functions,
            authorizer_function=authorizer,
            config=config,
        )
        self.web_console = WebConsole(
            self,
            "WebConsole",
            site=self.web_site,
            api_origin=self.rest_api.origin,
            api_url=self.rest_api.base_url,
            websocket_origin=self.websocket_api.origin,
            websocket_url=self.websocket_api.stage.url,
            config=config,
        )
        # Stage logging needs the account's API Gateway logging role, which the REST API sets.
        account_settings = self.rest_api.api.node.try_find_child("Account")
        if account_settings is not None:
            self.websocket_api.stage.node.add_dependency(account_settings)
        self.kafka_consumers = KafkaConsumers(
            self,
            "KafkaConsumers",
            specs=specs,
            functions=self.functions,
            cluster=self.streaming.cluster,
            prefix=config.prefix,
            topics_ready=self.streaming.topic_hook.resource,
            queue_removal_policy=config.profile.retained_data_policy,
        )
        Schedules(self, "Schedules", specs=specs, functions=self.functions)

        resources = CapabilityResources(
            peers=peers,
            token_signing_key=self.secrets.token_signing_key,
            llm_api_key=self.secrets.llm_api_key,
            websocket_stage=self.websocket_api.stage,
            image_functions={
                name: wired.function
                for name, wired in self.functions.wired.items()
                if wired.spec.image_directory is not None
            },
        )
        for wired in self.functions.wired.values():
            apply_capabilities(wired, resources)
            if wired.spec.capabilities & {"database"}:
                wired.function.node.add_dependency(self.migrations.resource)

        self.observability = LearnFlowObservability(
            self,
            "Observability",
            config=config,
            functions=self.functions.wired.values(),
            apis=ObservedApis(self.rest_api.api, self.websocket_api.api, self.websocket_api.stage),
            dead_letter_queues=self.kafka_consumers.dead_letter_queues,
            database=self.database,
        )

        CfnOutput(self, "RestApiUrl", value=self.rest_api.api.url, description="Base URL of the REST API")
        CfnOutput(
            self, "WebSocketUrl", value=self.websocket_api.stage.url, description="URL students connect to"
        )
        CfnOutput(
            self,
            "WebSocketCallbackUrl",
            value=self.websocket_api.stage.callback_url,
            description="The @connections management API",
        )
        CfnOutput(
            self,
            "TokenSigningKeyArn",
            value=self.secrets.token_signing_key.secret_arn,
            description="Secret holding the access-token signing key (docs/deploy.md: rotating it)",
        )
        CfnOutput(self, "WebSiteUrl", value=self.web_console.url, description="The web site: the web console")
        CfnOutput(
            self,
            "ApiDocsUrl",
            value=self.api_docs.url,
            description="Swagger UI over the REST API's OpenAPI document (openapi.json beside it)",
        )
        CfnOutput(
            self, "AlarmTopicArn", value=self.observability.topic.topic_arn, description="Alarms go here"
        )
        CfnOutput(
            self,
            "DashboardName",
            value=config.name("overview"),
            description="CloudWatch dashboard of this deployment",
        )
