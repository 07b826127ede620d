"""API Gateway's rules as the local cloud applies them: route matching and authorizer policies."""

from infra.wiring import FUNCTIONS, FunctionSpec, RestRoute
from localcloud.authorizers import AuthorizerDecision
from localcloud.routing import RouteTable

ARN = "arn:aws:execute-api:us-east-1:000000000000:local/local"


def test_literal_resources_win_over_parameters() -> None:
    table = RouteTable(
        (
            FunctionSpec("a", "m.h", "", rest_routes=(RestRoute("GET", "/items/{item_id}"),)),
            FunctionSpec("b", "m.h", "", rest_routes=(RestRoute("GET", "/items/latest"),)),
        )
    )
    route, parameters = table.resolve("GET", "/items/latest") or (None, None)
    assert route is not None and route.function == "b" and parameters == {}
    route, parameters = table.resolve("GET", "/items/7") or (None, None)
    assert route is not None and route.function == "a" and parameters == {"item_id": "7"}
    assert table.resolve("GET", "/items/7/more") is None
    assert table.resolve("POST", "/items/7") is None


def test_the_route_table_serves_exactly_the_wiring() -> None:
    served = RouteTable(FUNCTIONS).served()
    assert ("POST", "/api/v1/query") in served
    assert ("GET", "/api/v1/requests/{request_id}") in served
    assert len(served) == sum(len(spec.rest_routes) for spec in FUNCTIONS)


def _decision(*statements: dict[str, object]) -> AuthorizerDecision:
    return AuthorizerDecision(
        "policy", "u1", {"role": "student"}, {"Version": "2012-10-17", "Statement": list(statements)}
    )


def test_an_allow_on_a_wildcard_resource_covers_every_method() -> None:
    decision = _decision({"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": [f"{ARN}/*/*"]})
    assert decision.allows(f"{ARN}/GET/api/v1/auth/me")
    assert decision.request_context() == {"principalId": "u1", "role": "student"}


def test_an_explicit_deny_wins_and_no_statement_means_no() -> None:
    decision = _decision(
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": f"{ARN}/*"},
        {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": f"{ARN}/POST/api/v1/query"},
    )
    assert decision.allows(f"{ARN}/GET/api/v1/auth/me")
    assert not decision.allows(f"{ARN}/POST/api/v1/query")
    assert not _decision().allows(f"{ARN}/GET/x")
    assert not AuthorizerDecision("unauthorized").allows(f"{ARN}/GET/x")
