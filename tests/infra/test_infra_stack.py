"""The synthesized template holds exactly what infra/wiring.py declares, wired as declared."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template

from infra.constructs.functions import VPC_NETWORK_INTERFACE_ACTIONS
from infra.wiring import ALL_FUNCTIONS, AUTHORIZER, Capability, FunctionSpec, KafkaSource
from tests.infra.template_reading import Resource, function_referenced_by, references, render

STAGE = "dev"
BASE_ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_LOG_LEVEL",
    "POWERTOOLS_METRICS_NAMESPACE",
    "POWERTOOLS_TRACER_CAPTURE_RESPONSE",
    "LEARNFLOW_STAGE",
}
CAPABILITY_ENVIRONMENT: dict[Capability, set[str]] = {
    "database": {"DATABASE_SECRET_ARN", "DATABASE_HOST"},
    "publish_events": {"KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY"},
    "post_to_connections": {"WEBSOCKET_MANAGEMENT_ENDPOINT"},
    "token_signing_key": {"JWT_SECRET_ARN"},
    "run_sandbox": {"SANDBOX_FUNCTION_NAME"},
    "llm_api_key": {"OPENAI_API_KEY_SECRET_ARN"},
}
SECRET_LIKE_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY|SIGNING_KEY|JWT|CREDENTIAL")

DECLARED_REST_ROUTES: dict[tuple[str, str], tuple[str, bool]] = {
    (route.method, route.path): (spec.name, route.authorized)
    for spec in ALL_FUNCTIONS
    for route in spec.rest_routes
}
DECLARED_WEBSOCKET_ROUTES = {key: spec.name for spec in ALL_FUNCTIONS for key in spec.websocket_routes}
DECLARED_KAFKA_SOURCES: dict[tuple[str, str], KafkaSource] = {
    (spec.name, source.topic.value): source for spec in ALL_FUNCTIONS for source in spec.kafka_sources
}
DECLARED_SCHEDULES = {spec.name: spec.schedule.rate_minutes for spec in ALL_FUNCTIONS if spec.schedule}
SPECS = {spec.name: spec for spec in ALL_FUNCTIONS}
ZIP_SPECS = [spec for spec in ALL_FUNCTIONS if spec.image_directory is None]
IMAGE_SPECS = [spec for spec in ALL_FUNCTIONS if spec.image_directory is not None]
WILDCARD_ACTIONS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords", *VPC_NETWORK_INTERFACE_ACTIONS}


# --- reading the template ---------------------------------------------------------------------


def statements_of(template: Template, role_id: str) -> list[Resource]:
    policies = template.find_resources("AWS::IAM::Policy")
    return [
        statement
        for policy in policies.values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def resources_of(statement: Resource) -> list[Any]:
    resources = statement["Resource"]
    return resources if isinstance(resources, list) else [resources]


def actions_of(statement: Resource) -> set[str]:
    actions = statement["Action"]
    return {actions} if isinstance(actions, str) else set(actions)


# --- functions --------------------------------------------------------------------------------


def test_exactly_the_declared_functions_exist(functions: dict[str, tuple[str, Resource]]) -> None:
    assert set(functions) == set(SPECS)


@pytest.mark.parametrize("spec", ALL_FUNCTIONS, ids=lambda spec: spec.name)
def test_function_is_configured_from_its_spec(
    spec: FunctionSpec, functions: dict[str, tuple[str, Resource]]
) -> None:
    _logical_id, props = functions[spec.name]
    assert props["Timeout"] == spec.timeout_seconds
    assert props["MemorySize"] == spec.memory_mb
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["Environment"]["Variables"]["POWERTOOLS_LOG_LEVEL"] == "INFO"
    assert props["Environment"]["Variables"]["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
    if spec.image_directory is None:
        assert props["Handler"] == spec.handler
        assert props["Runtime"] == "python3.12"
        assert props.get("ReservedConcurrentExecutions") == spec.reserved_concurrency
    else:
        assert props["PackageType"] == "Image"
        assert props["ImageConfig"]["Command"] == [spec.handler]
        assert props["ReservedConcurrentExecutions"] >= 1


@pytest.mark.parametrize("spec", ZIP_SPECS, ids=lambda spec: spec.name)
def test_zip_functions_share_the_dependencies_and_package_layers(
    spec: FunctionSpec, functions: dict[str, tuple[str, Resource]], template: Template
) -> None:
    layers = template.find_resources("AWS::Lambda::LayerVersion")
    referenced = [references(layer) for layer in functions[spec.name][1]["Layers"]]
    descriptions = [layers[ref]["Properties"]["Description"] for (ref,) in referenced]
    assert [d.split()[0] for d in descriptions] == ["Third-party", "The"], (
        "dependencies first, then learnflow"
    )


def test_every_function_has_its_own_role(
    functions: dict[str, tuple[str, Resource]], template: Template
) -> None:
    roles = template.find_resources("AWS::IAM::Role")
    role_ids = [props["Role"]["Fn::GetAtt"][0] for _id, props in functions.values()]
    assert len(set(role_ids)) == len(functions)
    for role_id in role_ids:
        principal = roles[role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
        assert principal == {"Service": "lambda.amazonaws.com"}


def test_code_asset_holds_only_the_functions_package(
    functions: dict[str, tuple[str, Resource]], cdk_out: Path
) -> None:
    (key,) = {props["Code"]["S3Key"] for _id, props in functions.values() if "S3Key" in props["Code"]}
    asset = cdk_out / f"asset.{key.removesuffix('.zip')}"
    assert [path.name for path in asset.iterdir()] == ["functions"]
    assert (asset / "functions" / "__init__.py").is_file()
    assert not list(asset.rglob("__pycache__"))


def test_layer_assets_hold_the_learnflow_package_and_the_built_dependencies(
    template: Template, cdk_out: Path
) -> None:
    contents = {
        layer["Properties"]["Description"].split()[0]: cdk_out
        / f"asset.{layer['Properties']['Content']['S3Key'].removesuffix('.zip')}"
        for layer in template.find_resources("AWS::Lambda::LayerVersion").values()
    }
    assert (contents["The"] / "python" / "learnflow" / "__init__.py").is_file()
    assert (contents["The"] / "python" / "learnflow" / "db" / "migrations").is_dir()
    assert sorted(path.name for path in contents["Third-party"].iterdir()) == ["python"], "no stamp shipped"


# --- configuration and secrets ----------------------------------------------------------------


@pytest.mark.parametrize("spec", ALL_FUNCTIONS, ids=lambda spec: spec.name)
def test_environment_is_exactly_what_the_capabilities_need(
    spec: FunctionSpec, functions: dict[str, tuple[str, Resource]]
) -> None:
    variables = functions[spec.name][1]["Environment"]["Variables"]
    expected = BASE_ENVIRONMENT.union(*(CAPABILITY_ENVIRONMENT[c] for c in spec.capabilities))
    if spec.rest_routes:
        expected |= {"LEARNFLOW_CORS_ORIGINS"}  # the dev stage allows http://localhost:3000
    if spec.kafka_sources:
        expected |= {"DEAD_LETTER_QUEUE_URL"}  # where the consumer parks poison records
    assert set(variables) == expected
    if "publish_events" in spec.capabilities:
        assert variables["KAFKA_SECURITY"] == "iam"


def test_no_environment_variable_holds_a_secret(
    functions: dict[str, tuple[str, Resource]], template: Template
) -> None:
    # an RDS secret is referenced through its attachment to the instance (same ARN, with host and port)
    secrets = {
        *template.find_resources("AWS::SecretsManager::Secret"),
        *template.find_resources("AWS::SecretsManager::SecretTargetAttachment"),
    }
    for name, (_id, props) in functions.items():
        for key, value in props["Environment"]["Variables"].items():
            if SECRET_LIKE_NAME.search(key):
                assert key.endswith("_ARN"), f"{name}: {key} looks like a secret value"
                assert set(value) == {"Ref"} and value["Ref"] in secrets, (
                    f"{name}: {key} is not a secret's ARN"
                )
            elif isinstance(value, str):
                assert len(value) < 64, f"{name}: {key} holds a suspiciously long literal"


def test_secrets_are_generated_never_written_in_the_template(template: Template) -> None:
    secrets = template.find_resources("AWS::SecretsManager::Secret")
    # the database's credentials and the token signing key are generated; the LLM key's secret
    # starts empty, for an operator to fill in
    generated = [s for s in secrets.values() if "GenerateSecretString" in s["Properties"]]
    written = [s["Properties"]["SecretString"] for s in secrets.values() if "SecretString" in s["Properties"]]
    assert len(generated) == 2
    assert written == ['{"api_key":""}']


@pytest.mark.parametrize("spec", ALL_FUNCTIONS, ids=lambda spec: spec.name)
def test_grants_follow_capabilities(
    spec: FunctionSpec,
    functions: dict[str, tuple[str, Resource]],
    template: Template,
    function_names: dict[str, str],
) -> None:
    _id, props = functions[spec.name]
    variables = props["Environment"]["Variables"]
    statements = statements_of(template, props["Role"]["Fn::GetAtt"][0])

    def granted(action: str) -> set[str]:
        return {
            render(resource) for s in statements if action in actions_of(s) for resource in resources_of(s)
        }

    expected_secrets = {
        render(variables[key])
        for key in ("DATABASE_SECRET_ARN", "JWT_SECRET_ARN", "OPENAI_API_KEY_SECRET_ARN")
        if key in variables
    }
    assert granted("secretsmanager:GetSecretValue") == expected_secrets
    assert bool(granted("kafka-cluster:WriteData")) == ("publish_events" in spec.capabilities)
    assert bool(granted("kafka-cluster:ReadData")) == bool(spec.kafka_sources)
    manage = granted("execute-api:ManageConnections")
    if "post_to_connections" in spec.capabilities:
        (api_id,) = template.find_resources("AWS::ApiGatewayV2::Api")
        assert manage == {
            f"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api_id}}}"
            f"/{STAGE}/*/@connections/*"
        }
        assert render(variables["WEBSOCKET_MANAGEMENT_ENDPOINT"]) == (
            f"https://${{{api_id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{STAGE}"
        )
    else:
        assert not manage
    sqs_actions = {action for s in statements for action in actions_of(s) if action.startswith("sqs:")}
    if spec.kafka_sources:
        # poison records go to the function's own dead-letter queue, the one its mapping fails to
        (queue_id,) = references(variables["DEAD_LETTER_QUEUE_URL"])
        assert template.find_resources("AWS::SQS::Queue").get(queue_id), (
            "DEAD_LETTER_QUEUE_URL names no queue"
        )
        assert granted("sqs:SendMessage") == {f"${{{queue_id}.Arn}}"}
        assert sqs_actions == {"sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"}
        destinations = {
            queue
            for mapping in template.find_resources("AWS::Lambda::EventSourceMapping").values()
            if function_referenced_by(mapping["Properties"]["FunctionName"], function_names) == spec.name
            for queue in references(mapping["Properties"]["DestinationConfig"]["OnFailure"]["Destination"])
        }
        assert destinations == {queue_id}
    else:
        assert not sqs_actions, f"{spec.name} consumes no topic, so it sends to no queue"
    for statement in statements:
        assert statement["Resource"] != "*" or actions_of(statement) <= WILDCARD_ACTIONS, (
            f"{spec.name}: {statement} grants on every resource"
        )


# --- REST API ---------------------------------------------------------------------------------


def test_exactly_the_declared_rest_routes_exist(rest_methods: dict[tuple[str, str], Resource]) -> None:
    assert set(rest_methods) == set(DECLARED_REST_ROUTES)


def test_rest_routes_reach_their_functions_through_lambda_proxy(
    rest_methods: dict[tuple[str, str], Resource], function_names: dict[str, str]
) -> None:
    for route, props in rest_methods.items():
        integration = props["Integration"]
        assert integration["Type"] == "AWS_PROXY"
        assert function_referenced_by(integration["Uri"], function_names) == DECLARED_REST_ROUTES[route][0]


def test_only_authorized_routes_use_the_token_authorizer(
    rest_methods: dict[tuple[str, str], Resource], template: Template, function_names: dict[str, str]
) -> None:
    (authorizer_id, authorizer), *others = template.find_resources("AWS::ApiGateway::Authorizer").items()
    assert not others
    assert authorizer["Properties"]["Type"] == "TOKEN"
    assert authorizer["Properties"]["IdentitySource"] == "method.request.header.Authorization"
    assert authorizer["Properties"]["AuthorizerResultTtlInSeconds"] == 300
    assert (
        function_referenced_by(authorizer["Properties"]["AuthorizerUri"], function_names) == AUTHORIZER.name
    )
    for route, props in rest_methods.items():
        if DECLARED_REST_ROUTES[route][1]:
            assert props["AuthorizationType"] == "CUSTOM", route
            assert props["AuthorizerId"] == {"Ref": authorizer_id}, route
        else:
            assert props["AuthorizationType"] == "NONE", route
            assert "AuthorizerId" not in props, route


def test_rest_stage_is_named_and_throttled(template: Template) -> None:
    (stage,) = template.find_resources("AWS::ApiGateway::Stage").values()
    props = stage["Properties"]
    assert props["StageName"] == STAGE
    assert props["TracingEnabled"] is True
    (settings,) = props["MethodSettings"]
    assert settings["ThrottlingRateLimit"] > 0
    assert settings["ThrottlingBurstLimit"] >= settings["ThrottlingRateLimit"]


@pytest.mark.parametrize(
    ("response_type", "status", "code"),
    [
        ("DEFAULT_4XX", None, "bad_request"),
        ("DEFAULT_5XX", None, "internal_error"),
        ("UNAUTHORIZED", "401", "unauthorized"),
        ("ACCESS_DENIED", "403", "forbidden"),
        ("THROTTLED", "429", "throttled"),
        ("REQUEST_TOO_LARGE", "413", "payload_too_large"),
        ("MISSING_AUTHENTICATION_TOKEN", "404", "not_found"),
        ("QUOTA_EXCEEDED", "429", "throttled"),
        ("INTEGRATION_FAILURE", "502", "bad_gateway"),
        ("INTEGRATION_TIMEOUT", "504", "gateway_timeout"),
    ],
)
def test_gateway_errors_have_the_contract_shape(
    template: Template, response_type: str, status: str | None, code: str
) -> None:
    responses = template.find_resources(
        "AWS::ApiGateway::GatewayResponse", {"Properties": {"ResponseType": response_type}}
    )
    (response,) = responses.values()
    props = response["Properties"]
    assert props.get("StatusCode") == status
    body = json.loads(props["ResponseTemplates"]["application/json"])
    assert body == {"error": {"code": code, "message": body["error"]["message"], "details": []}}
    assert body["error"]["message"]
    if response_type in ("THROTTLED", "QUOTA_EXCEEDED"):
        assert "gatewayresponse.header.Retry-After" in props["ResponseParameters"]


# --- WebSocket API ----------------------------------------------------------------------------


def test_websocket_api_selects_routes_by_action(template: Template) -> None:
    (api,) = template.find_resources("AWS::ApiGatewayV2::Api").values()
    assert api["Properties"]["ProtocolType"] == "WEBSOCKET"
    assert api["Properties"]["RouteSelectionExpression"] == "$request.body.action"


def test_exactly_the_declared_websocket_routes_reach_their_functions(
    template: Template, function_names: dict[str, str]
) -> None:
    integrations = template.find_resources("AWS::ApiGatewayV2::Integration")
    routes = {
        r["Properties"]["RouteKey"]: r["Properties"]
        for r in template.find_resources("AWS::ApiGatewayV2::Route").values()
    }
    assert set(routes) == set(DECLARED_WEBSOCKET_ROUTES)
    for key, props in routes.items():
        (integration_id,) = references(props["Target"])
        integration = integrations[integration_id]["Properties"]
        assert integration["IntegrationType"] == "AWS_PROXY"
        assert (
            function_referenced_by(integration["IntegrationUri"], function_names)
            == DECLARED_WEBSOCKET_ROUTES[key]
        )


def test_only_connect_is_authorized_by_the_query_string_token(
    template: Template, function_names: dict[str, str]
) -> None:
    (authorizer_id, authorizer), *others = template.find_resources("AWS::ApiGatewayV2::Authorizer").items()
    assert not others
    assert authorizer["Properties"]["AuthorizerType"] == "REQUEST"
    assert authorizer["Properties"]["IdentitySource"] == ["route.request.querystring.token"]
    assert (
        function_referenced_by(authorizer["Properties"]["AuthorizerUri"], function_names) == AUTHORIZER.name
    )
    for route in template.find_resources("AWS::ApiGatewayV2::Route").values():
        props = route["Properties"]
        if props["RouteKey"] == "$connect":
            assert props["AuthorizationType"] == "CUSTOM"
            assert props["AuthorizerId"] == {"Ref": authorizer_id}
        else:
            assert props["AuthorizationType"] == "NONE"
            assert "AuthorizerId" not in props


def test_websocket_stage_deploys_automatically(template: Template) -> None:
    (stage,) = template.find_resources("AWS::ApiGatewayV2::Stage").values()
    assert stage["Properties"]["StageName"] == STAGE
    assert stage["Properties"]["AutoDeploy"] is True


# --- Kafka consumers and schedules ------------------------------------------------------------


def test_exactly_the_declared_msk_event_source_mappings_exist(
    template: Template, function_names: dict[str, str]
) -> None:
    queues = template.find_resources("AWS::SQS::Queue")
    (cluster_id,) = template.find_resources("AWS::MSK::ServerlessCluster")
    mappings: dict[tuple[str, str], Resource] = {}
    for mapping in template.find_resources("AWS::Lambda::EventSourceMapping").values():
        props = mapping["Properties"]
        (topic,) = props["Topics"]
        mappings[(function_referenced_by(props["FunctionName"], function_names), topic)] = props
    assert set(mappings) == set(DECLARED_KAFKA_SOURCES)
    destinations: set[str] = set()
    for key, props in mappings.items():
        source = DECLARED_KAFKA_SOURCES[key]
        assert props["EventSourceArn"] == {"Fn::GetAtt": [cluster_id, "Arn"]}
        assert props["BatchSize"] == source.batch_size
        assert props["MaximumBatchingWindowInSeconds"] == source.batching_window_seconds
        assert props["StartingPosition"] == source.starting_position
        assert props["MaximumRetryAttempts"] == source.maximum_retry_attempts
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert props["ProvisionedPollerConfig"]["MinimumPollers"] >= 1
        (queue_id,) = references(props["DestinationConfig"]["OnFailure"]["Destination"])
        assert queues[queue_id]["Properties"]["SqsManagedSseEnabled"] is True
        destinations.add(queue_id)
    assert len(destinations) == len(mappings), "each mapping has its own dead-letter queue"


def test_exactly_the_declared_schedules_exist(template: Template, function_names: dict[str, str]) -> None:
    rules = template.find_resources("AWS::Events::Rule").values()
    schedules: dict[str, str] = {}
    for rule in rules:
        (target,) = rule["Properties"]["Targets"]
        schedules[function_referenced_by(target["Arn"], function_names)] = rule["Properties"][
            "ScheduleExpression"
        ]
    assert schedules == {
        name: f"rate({minutes} minute{'' if minutes == 1 else 's'})"
        for name, minutes in DECLARED_SCHEDULES.items()
    }


def test_scheduled_functions_may_be_invoked_by_eventbridge(
    template: Template, function_names: dict[str, str]
) -> None:
    invokers = {
        function_referenced_by(p["Properties"]["FunctionName"], function_names)
        for p in template.find_resources(
            "AWS::Lambda::Permission", {"Properties": {"Principal": "events.amazonaws.com"}}
        ).values()
    }
    assert invokers == set(DECLARED_SCHEDULES)
