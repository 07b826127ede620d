"""What surrounds the functions: the APIs' gateway settings, the firewall, observability."""

import json
from typing import Any

from aws_cdk.assertions import Template

from infra.constructs.firewall import BODY_LIMIT_BYTES
from infra.wiring import ALL_FUNCTIONS
from tests.infra.conftest import preflights_of
from tests.infra.template_reading import Resource, references

STAGE = "dev"
CONTRACT_ERROR_KEYS = {"code", "message", "details"}


def contract_error(body: str) -> dict[str, Any]:
    document = json.loads(body)
    assert set(document) == {"error"} and set(document["error"]) == CONTRACT_ERROR_KEYS
    error: dict[str, Any] = document["error"]
    return error


# --- REST API ---------------------------------------------------------------------------------


def test_rest_stage_writes_json_access_logs_without_bodies(template: Template) -> None:
    (stage,) = template.find_resources("AWS::ApiGateway::Stage").values()
    props = stage["Properties"]
    (log_group,) = references(props["AccessLogSetting"]["DestinationArn"])
    assert log_group in template.find_resources("AWS::Logs::LogGroup")
    fields = json.loads(props["AccessLogSetting"]["Format"])
    assert {"requestId", "status", "responseLatency", "ip"} <= set(fields)
    assert not any("body" in value.lower() or "header" in value.lower() for value in fields.values())
    (settings,) = props["MethodSettings"]
    assert settings["DataTraceEnabled"] is False
    assert settings["LoggingLevel"] in ("ERROR", "INFO")
    assert settings["MetricsEnabled"] is True


def test_every_route_is_validated(template: Template, rest_methods: dict[tuple[str, str], Resource]) -> None:
    (validator_id,) = template.find_resources("AWS::ApiGateway::RequestValidator")
    for route, props in rest_methods.items():
        assert props["RequestValidatorId"] == {"Ref": validator_id}, route
        for parameter in (part[1:-1] for part in route[1].split("/") if part.startswith("{")):
            assert props["RequestParameters"][f"method.request.path.{parameter}"] is True, route


def test_cors_preflights_answer_the_configured_origin_on_every_route_path(
    template: Template, rest_methods: dict[tuple[str, str], Resource]
) -> None:
    preflights = preflights_of(template)
    assert len(preflights) == len({path for _method, path in rest_methods})
    for props in preflights:
        (response,) = props["Integration"]["IntegrationResponses"]
        headers = response["ResponseParameters"]
        assert headers["method.response.header.Access-Control-Allow-Origin"] == "'http://localhost:3000'"
        assert "Authorization" in headers["method.response.header.Access-Control-Allow-Headers"]
        assert props["AuthorizationType"] == "NONE"


def test_the_firewall_enforces_the_body_limit_and_a_rate_limit_with_contract_bodies(
    template: Template,
) -> None:
    (acl_id, acl), *others = template.find_resources("AWS::WAFv2::WebACL").items()
    assert not others
    props = acl["Properties"]
    assert props["Scope"] == "REGIONAL"
    assert props["DefaultAction"] == {"Allow": {}}
    rules = {rule["Name"]: rule for rule in props["Rules"]}
    bodies = props["CustomResponseBodies"]

    body_rule = rules["BodyLargerThanLimit"]
    response = body_rule["Action"]["Block"]["CustomResponse"]
    assert response["ResponseCode"] == 413
    assert contract_error(bodies[response["CustomResponseBodyKey"]]["Content"])["code"] == "payload_too_large"
    statement = body_rule["Statement"]["RegexPatternSetReferenceStatement"]
    assert statement["FieldToMatch"] == {"SingleHeader": {"Name": "content-length"}}
    (pattern_set,) = template.find_resources("AWS::WAFv2::RegexPatternSet").values()
    assert len(pattern_set["Properties"]["RegularExpressionList"]) == 1
    assert BODY_LIMIT_BYTES == 1024 * 1024

    rate_rule = rules["RateLimitPerAddress"]
    response = rate_rule["Action"]["Block"]["CustomResponse"]
    assert response["ResponseCode"] == 429
    assert contract_error(bodies[response["CustomResponseBodyKey"]]["Content"])["code"] == "throttled"
    assert {h["Name"] for h in response["ResponseHeaders"]} == {"Retry-After"}
    assert rate_rule["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"

    (association,) = template.find_resources("AWS::WAFv2::WebACLAssociation").values()
    assert references(association["Properties"]["WebACLArn"]) == {acl_id}
    (stage_id,) = template.find_resources("AWS::ApiGateway::Stage")
    assert stage_id in references(association["Properties"]["ResourceArn"])


def test_api_gateway_may_invoke_each_rest_function_from_this_api_only(
    template: Template, functions: dict[str, tuple[str, Resource]]
) -> None:
    (api_id,) = template.find_resources("AWS::ApiGateway::RestApi")
    permissions = [
        p["Properties"]
        for p in template.find_resources(
            "AWS::Lambda::Permission", {"Properties": {"Principal": "apigateway.amazonaws.com"}}
        ).values()
    ]
    for spec in ALL_FUNCTIONS:
        if not spec.rest_routes:
            continue
        function_id = functions[spec.name][0]
        granted = [p for p in permissions if references(p["FunctionName"]) == {function_id}]
        assert len(granted) == 1, spec.name
        assert api_id in references(granted[0]["SourceArn"]), spec.name


def test_gateway_responses_match_the_local_cloud() -> None:
    from http import HTTPStatus

    from infra.constructs.rest_api import GATEWAY_ERRORS
    from localcloud.gateway_responses import _MESSAGES

    for error in GATEWAY_ERRORS:
        if error.status_code is not None and HTTPStatus(int(error.status_code)) in _MESSAGES:
            assert _MESSAGES[HTTPStatus(int(error.status_code))][0] == error.code, error.response_type


# --- WebSocket API ----------------------------------------------------------------------------


def test_websocket_stage_is_throttled_and_writes_access_logs(template: Template) -> None:
    (stage,) = template.find_resources("AWS::ApiGatewayV2::Stage").values()
    props = stage["Properties"]
    assert references(props["AccessLogSettings"]["DestinationArn"]) <= set(
        template.find_resources("AWS::Logs::LogGroup")
    )
    fields = json.loads(props["AccessLogSettings"]["Format"])
    assert {"connectionId", "routeKey", "status"} <= set(fields)
    settings = props["DefaultRouteSettings"]
    assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] > 0
    assert settings["DataTraceEnabled"] is False


def test_relays_may_post_to_connections(
    template: Template, functions: dict[str, tuple[str, Resource]]
) -> None:
    posting = {spec.name for spec in ALL_FUNCTIONS if "post_to_connections" in spec.capabilities}
    assert posting, "the wiring has functions that push to WebSockets"
    policies = template.find_resources("AWS::IAM::Policy").values()
    for name in posting:
        role = functions[name][1]["Role"]["Fn::GetAtt"][0]
        assert any(
            {"Ref": role} in policy["Properties"]["Roles"]
            and "execute-api:ManageConnections" in json.dumps(policy["Properties"]["PolicyDocument"])
            for policy in policies
        ), name


# --- observability ----------------------------------------------------------------------------


def test_alarms_notify_the_encrypted_alarm_topic(template: Template) -> None:
    (topic_id, topic), *others = template.find_resources("AWS::SNS::Topic").items()
    assert not others
    assert references(topic["Properties"]["KmsMasterKeyId"]) <= set(template.find_resources("AWS::KMS::Key"))
    alarms = template.find_resources("AWS::CloudWatch::Alarm")
    assert alarms
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": topic_id}]
        assert alarm["Properties"]["AlarmDescription"]


def test_alarms_cover_apis_functions_consumers_dead_letters_and_the_database(
    template: Template, functions: dict[str, tuple[str, Resource]]
) -> None:
    alarms = template.find_resources("AWS::CloudWatch::Alarm").values()
    watched: dict[str, set[str]] = {}
    for alarm in alarms:
        props = alarm["Properties"]
        metrics = props.get("Metrics") or [{"MetricStat": {"Metric": props}}]
        for query in metrics:
            stat = query.get("MetricStat")
            if stat is None:
                continue
            metric = stat["Metric"]
            dimensions = metric.get("Dimensions", [])
            watched.setdefault(metric["MetricName"], set()).update(
                ref for dimension in dimensions for ref in references(dimension["Value"])
            )
    function_ids = {logical_id for logical_id, _props in functions.values()}
    assert function_ids <= watched["Errors"], "every function's errors are watched"
    assert function_ids <= watched["Throttles"]
    consumers = {functions[spec.name][0] for spec in ALL_FUNCTIONS if spec.kafka_sources}
    assert consumers <= watched["OffsetLag"]
    assert set(template.find_resources("AWS::SQS::Queue")) <= watched["ApproximateNumberOfMessagesVisible"]
    assert {"Latency", "5XXError", "CPUUtilization", "FreeStorageSpace"} <= set(watched)


def test_the_dashboard_shows_every_part_of_the_system(template: Template) -> None:
    (dashboard,) = template.find_resources("AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for title in (
        "REST API latency",
        "REST API errors",
        "WebSocket connections",
        "Function errors",
        "Function throttles",
        "Kafka consumer lag",
        "Dead-letter queue depth",
        "Database",
    ):
        assert title in body, title
    if any(spec.image_directory for spec in ALL_FUNCTIONS):
        assert "Sandbox runs" in body
