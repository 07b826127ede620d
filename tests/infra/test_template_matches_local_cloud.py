"""The synthesized AWS template and the local cloud serve the same wiring: the same routes and mappings."""

from aws_cdk.assertions import Template

from infra.wiring import FUNCTIONS
from localcloud.cloud import websocket_routes
from localcloud.event_sources import kafka_subscriptions
from localcloud.routing import RouteTable
from tests.infra.template_reading import Resource, function_referenced_by


def test_rest_routes_match(rest_methods: dict[tuple[str, str], Resource]) -> None:
    assert set(rest_methods) == RouteTable(FUNCTIONS).served()


def test_websocket_routes_match(template: Template, function_names: dict[str, str]) -> None:
    integrations = template.find_resources("AWS::ApiGatewayV2::Integration")
    deployed = {}
    for route in template.find_resources("AWS::ApiGatewayV2::Route").values():
        target = route["Properties"]["Target"]["Fn::Join"][1][1]["Ref"]
        uri = integrations[target]["Properties"]["IntegrationUri"]
        deployed[route["Properties"]["RouteKey"]] = function_referenced_by(uri, function_names)
    assert deployed == websocket_routes()


def test_kafka_event_source_mappings_match(template: Template, function_names: dict[str, str]) -> None:
    deployed = {
        (function_referenced_by(props["FunctionName"], function_names), props["Topics"][0])
        for props in (
            m["Properties"] for m in template.find_resources("AWS::Lambda::EventSourceMapping").values()
        )
    }
    assert deployed == set(kafka_subscriptions())
