"""The REST route table, built from the wiring declaration."""

import re
from dataclasses import dataclass

from infra.wiring import FunctionSpec

_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class BoundRoute:
    method: str
    resource: str
    function: str
    authorized: bool
    pattern: re.Pattern[str]

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.fullmatch(path)
        return found.groupdict() if found else None


def _compile(resource: str) -> re.Pattern[str]:
    parts = _PARAMETER.split(resource)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>[^/]+)" for index, part in enumerate(parts)
    )
    return re.compile(regex)


class RouteTable:
    def __init__(self, specs: tuple[FunctionSpec, ...]) -> None:
        self.routes = tuple(
            BoundRoute(route.method, route.path, spec.name, route.authorized, _compile(route.path))
            for spec in specs
            for route in spec.rest_routes
        )

    def resolve(self, method: str, path: str) -> tuple[BoundRoute, dict[str, str]] | None:
        """The route for a request; literal resources win over parameterised ones, as on API Gateway."""
        candidates = []
        for route in self.routes:
            if route.method == method and (parameters := route.match(path)) is not None:
                candidates.append((route.resource.count("{"), route, parameters))
        if not candidates:
            return None
        _, route, parameters = min(candidates, key=lambda candidate: candidate[0])
        return route, parameters

    def allows_path(self, path: str) -> list[str]:
        """The methods declared for a path, for answering CORS preflights."""
        return sorted({route.method for route in self.routes if route.match(path) is not None})

    def served(self) -> set[tuple[str, str]]:
        return {(route.method, route.resource) for route in self.routes}
