"""Each REST handler serves exactly the routes infra/wiring.py gives its function.

The decorators keep their literal paths, so searching the code for a URL finds its handler; this
test holds them to the wiring, from which CDK and the local cloud build API Gateway. Path variables
are compared unnamed: API Gateway allows one variable name per level, so the wiring's
`/notifications/{id}` is the handler's `/notifications/{user_id}`.
"""

import re

import pytest
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

from infra.wiring import ALL_FUNCTIONS, FunctionSpec
from learnflow.api.openapi import BEARER_SCHEME
from tests.contract.handler_loading import imported_handlers

REST_FUNCTIONS = [spec for spec in ALL_FUNCTIONS if spec.rest_routes]
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def unnamed(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


@pytest.mark.parametrize("spec", REST_FUNCTIONS, ids=lambda spec: spec.name)
def test_the_handler_serves_the_routes_of_its_wiring(spec: FunctionSpec) -> None:
    with imported_handlers(spec.name) as handlers:
        schema = handlers[spec.name].app.get_openapi_schema(
            security_schemes={BEARER_SCHEME: HTTPBearer(bearerFormat="JWT")}
        )
    served = {
        (method.upper(), unnamed(path))
        for path, operations in schema.paths.items()
        for method in HTTP_METHODS
        if getattr(operations, method, None) is not None
    }
    assert served == {(route.method, unnamed(route.path)) for route in spec.rest_routes}


def test_every_rest_function_of_the_wiring_is_checked() -> None:
    assert len(REST_FUNCTIONS) >= 13
    assert sum(len(spec.rest_routes) for spec in REST_FUNCTIONS) >= 27


def test_path_variables_are_compared_unnamed() -> None:
    assert unnamed("/api/v1/notifications/{user_id}") == unnamed("/api/v1/notifications/{id}")
    assert unnamed("/api/v1/classes/{class_id}") != unnamed("/api/v1/classes/join")
