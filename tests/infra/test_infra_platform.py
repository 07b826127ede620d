"""The platform under the functions: network, database, Kafka, and where each function runs."""

from typing import Any

import pytest
from aws_cdk.assertions import Template

from infra.constructs.capabilities import needs_vpc
from infra.wiring import ALL_FUNCTIONS, FunctionSpec
from learnflow.events.topics import ALL_TOPICS
from tests.infra.template_reading import (
    Resource,
    assert_isolated_image_function,
    references,
    subnet_ids_of,
    subnets_by_kind,
)

SPECS = {spec.name: spec for spec in ALL_FUNCTIONS}


def routes_to_the_internet(template: Template) -> set[str]:
    """Subnets whose route table sends 0.0.0.0/0 somewhere (a NAT or the internet gateway)."""
    tables = {
        references(route["Properties"]["RouteTableId"]).pop()
        for route in template.find_resources("AWS::EC2::Route").values()
        if route["Properties"].get("DestinationCidrBlock") == "0.0.0.0/0"
    }
    return {
        references(association["Properties"]["SubnetId"]).pop()
        for association in template.find_resources("AWS::EC2::SubnetRouteTableAssociation").values()
        if references(association["Properties"]["RouteTableId"]).pop() in tables
    }


# --- network ----------------------------------------------------------------------------------


def test_the_vpc_has_public_private_and_isolated_subnets(template: Template) -> None:
    kinds = subnets_by_kind(template)
    assert set(kinds) == {"Public", "Private", "Isolated"}
    assert all(len(subnets) == 2 for subnets in kinds.values()), "two availability zones"
    outbound = routes_to_the_internet(template)
    assert kinds["Private"] <= outbound, "private subnets reach the internet through the NAT"
    assert not kinds["Isolated"] & outbound, "isolated subnets have no route out"


def test_aws_apis_are_reached_through_vpc_endpoints(template: Template) -> None:
    services = set()
    for endpoint in template.find_resources("AWS::EC2::VPCEndpoint").values():
        name = endpoint["Properties"]["ServiceName"]
        rendered = (
            name if isinstance(name, str) else "".join(p for p in name["Fn::Join"][1] if isinstance(p, str))
        )
        services.add(rendered.rsplit(".", 1)[-1])
    assert {"secretsmanager", "logs", "monitoring", "xray", "sts", "lambda", "s3"} <= services


def test_vpc_traffic_is_logged(template: Template) -> None:
    (flow_log,) = template.find_resources("AWS::EC2::FlowLog").values()
    assert flow_log["Properties"]["TrafficType"] == "ALL"


@pytest.mark.parametrize(
    "spec", [s for s in ALL_FUNCTIONS if s.image_directory is None], ids=lambda s: s.name
)
def test_functions_join_the_vpc_only_for_the_database_or_kafka(
    spec: FunctionSpec, functions: dict[str, tuple[str, Resource]], template: Template
) -> None:
    props = functions[spec.name][1]
    if not needs_vpc(spec):
        assert "VpcConfig" not in props
        return
    assert subnet_ids_of(props["VpcConfig"]) == subnets_by_kind(template)["Private"]
    groups = {
        template.find_resources("AWS::EC2::SecurityGroup")[ref]["Properties"]["GroupDescription"]
        for group in props["VpcConfig"]["SecurityGroupIds"]
        for ref in references(group)
    }
    assert any(g.startswith("Functions that use the database") for g in groups) == (
        "database" in spec.capabilities
    )
    assert any(g.startswith("Kafka clients") for g in groups) == ("publish_events" in spec.capabilities)


@pytest.mark.parametrize(
    "spec", [s for s in ALL_FUNCTIONS if s.image_directory is not None], ids=lambda s: s.name
)
def test_image_functions_run_in_isolated_subnets_with_no_way_out(
    spec: FunctionSpec, functions: dict[str, tuple[str, Resource]], template: Template
) -> None:
    assert_isolated_image_function(template, functions[spec.name][1])


# --- database ---------------------------------------------------------------------------------


def test_the_database_is_current_postgres_encrypted_backed_up_and_private(template: Template) -> None:
    (instance,) = template.find_resources("AWS::RDS::DBInstance").values()
    props = instance["Properties"]
    assert props["Engine"] == "postgres"
    assert int(str(props["EngineVersion"]).split(".")[0]) >= 17
    assert props["StorageEncrypted"] is True
    assert props["BackupRetentionPeriod"] >= 1
    assert props["PubliclyAccessible"] is False
    assert props["DeletionProtection"] is False  # dev; the prod synth checks the other way
    (subnet_group,) = template.find_resources("AWS::RDS::DBSubnetGroup").values()
    subnets = set().union(*(references(s) for s in subnet_group["Properties"]["SubnetIds"]))
    assert subnets == subnets_by_kind(template)["Isolated"]


def test_database_credentials_are_generated_and_rotated(template: Template) -> None:
    (instance_id, instance), *_ = template.find_resources("AWS::RDS::DBInstance").items()
    (schedule,) = template.find_resources("AWS::SecretsManager::RotationSchedule").values()
    rotated = references(schedule["Properties"]["SecretId"])
    ((attachment_id, attachment),) = template.find_resources(
        "AWS::SecretsManager::SecretTargetAttachment"
    ).items()
    assert references(attachment["Properties"]["TargetId"]) == {instance_id}
    assert rotated == {attachment_id}, "the secret the instance uses is the one rotated"
    assert schedule["Properties"]["RotationRules"]["ScheduleExpression"].startswith("rate(30 days)")
    assert "MasterUserPassword" in instance["Properties"]  # resolved from the secret at deploy time
    assert "resolve:secretsmanager" in str(instance["Properties"]["MasterUserPassword"])


def test_functions_reach_the_database_through_an_rds_proxy_with_tls(
    template: Template, functions: dict[str, tuple[str, Resource]]
) -> None:
    (proxy_id, proxy), *others = template.find_resources("AWS::RDS::DBProxy").items()
    assert not others
    assert proxy["Properties"]["RequireTLS"] is True
    assert proxy["Properties"]["EngineFamily"] == "POSTGRESQL"
    for name, (_id, props) in functions.items():
        variables = props["Environment"]["Variables"]
        if "database" in SPECS[name].capabilities:
            assert variables["DATABASE_HOST"] == {"Fn::GetAtt": [proxy_id, "Endpoint"]}, name


def test_migrations_run_at_deploy_before_any_database_function(
    template: Template, template_json: dict[str, Any], functions: dict[str, tuple[str, Resource]]
) -> None:
    (migrations_id, migrations), *others = template.find_resources("Custom::LearnFlowMigrations").items()
    assert not others
    assert migrations["Properties"]["MigrationsDigest"]
    (instance_id,) = template.find_resources("AWS::RDS::DBInstance")
    assert instance_id in migrations["DependsOn"]
    handler = handler_behind(template, migrations["Properties"]["ServiceToken"])
    assert handler == "infra.deploy_hooks.migrations.on_event"
    for name, (logical_id, _props) in functions.items():
        if "database" in SPECS[name].capabilities:
            assert migrations_id in template_json["Resources"][logical_id]["DependsOn"], name


def handler_behind(template: Template, service_token: Any) -> str:
    """The handler of the function a custom resource provider framework invokes."""
    lambdas = template.find_resources("AWS::Lambda::Function")
    (framework,) = references(service_token)
    (hook_arn,) = lambdas[framework]["Properties"]["Environment"]["Variables"].values()
    (hook,) = references(hook_arn)
    return str(lambdas[hook]["Properties"]["Handler"])


# --- Kafka ------------------------------------------------------------------------------------


def test_kafka_is_msk_serverless_with_iam_authentication(template: Template) -> None:
    (cluster,) = template.find_resources("AWS::MSK::ServerlessCluster").values()
    assert cluster["Properties"]["ClientAuthentication"] == {"Sasl": {"Iam": {"Enabled": True}}}


def test_the_contract_topics_are_created_at_deploy(template: Template) -> None:
    (cluster_id,) = template.find_resources("AWS::MSK::ServerlessCluster")
    (topics,) = template.find_resources("Custom::LearnFlowKafkaTopics").values()
    props = topics["Properties"]
    assert props["Topics"] == list(ALL_TOPICS)
    assert len(props["Topics"]) == 8
    assert props["ClusterArn"] == {"Fn::GetAtt": [cluster_id, "Arn"]}
    assert handler_behind(template, props["ServiceToken"]) == "infra.deploy_hooks.kafka_topics.on_event"


def test_publishers_use_iam_and_the_brokers_the_topic_hook_reports(
    template: Template, template_json: dict[str, Any], functions: dict[str, tuple[str, Resource]]
) -> None:
    (topics_id,) = template.find_resources("Custom::LearnFlowKafkaTopics")
    for name, (_id, props) in functions.items():
        if "publish_events" in SPECS[name].capabilities:
            variables = props["Environment"]["Variables"]
            assert variables["KAFKA_SECURITY"] == "iam"
            assert variables["KAFKA_BOOTSTRAP_SERVERS"] == {"Fn::GetAtt": [topics_id, "BootstrapBrokers"]}
    for logical_id, mapping in template.find_resources("AWS::Lambda::EventSourceMapping").items():
        assert topics_id in template_json["Resources"][logical_id]["DependsOn"], (
            "mappings wait for the topics"
        )
        assert mapping["Properties"]["DestinationConfig"]["OnFailure"]["Destination"]
