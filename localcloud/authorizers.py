"""Running the Lambda authorizer as API Gateway does: cached results, policy evaluation, 401/403/500."""

import fnmatch
from dataclasses import dataclass
from typing import Any, Literal

from cachetools import TTLCache

from localcloud.runtime import FunctionRuntime

Outcome = Literal["policy", "unauthorized", "error"]


@dataclass(frozen=True)
class AuthorizerDecision:
    outcome: Outcome
    principal_id: str | None = None
    context: dict[str, Any] | None = None
    policy: dict[str, Any] | None = None

    def allows(self, method_arn: str) -> bool:
        """Evaluates the returned IAM policy for one method: an explicit Deny wins over any Allow."""
        if self.outcome != "policy" or self.policy is None:
            return False
        allowed = False
        for statement in _as_list(self.policy.get("Statement")):
            if not any(
                action in ("execute-api:Invoke", "execute-api:*", "*")
                for action in _as_list(statement.get("Action"))
            ):
                continue
            if any(
                fnmatch.fnmatchcase(method_arn, pattern) for pattern in _as_list(statement.get("Resource"))
            ):
                if statement.get("Effect") == "Deny":
                    return False
                allowed = allowed or statement.get("Effect") == "Allow"
        return allowed

    def request_context(self) -> dict[str, Any]:
        """What the function sees as requestContext.authorizer."""
        return {"principalId": self.principal_id, **(self.context or {})}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class LambdaAuthorizer:
    def __init__(self, runtime: FunctionRuntime, function: str, ttl_seconds: float = 300) -> None:
        self._runtime = runtime
        self._function = function
        self._cache: TTLCache[str, AuthorizerDecision] = TTLCache(maxsize=10_000, ttl=ttl_seconds)

    async def decide(self, cache_key: str, event: dict[str, Any]) -> AuthorizerDecision:
        if not cache_key:
            return AuthorizerDecision("unauthorized")
        if (cached := self._cache.get(cache_key)) is not None:
            return cached
        decision = await self._invoke(event)
        if decision.outcome != "error":
            self._cache[cache_key] = decision
        return decision

    async def _invoke(self, event: dict[str, Any]) -> AuthorizerDecision:
        invocation = await self._runtime.invoke(self._function, event)
        if invocation.error is not None:
            unauthorized = invocation.error.message == "Unauthorized"
            return AuthorizerDecision("unauthorized" if unauthorized else "error")
        result = invocation.result
        if not isinstance(result, dict) or "principalId" not in result or "policyDocument" not in result:
            return AuthorizerDecision("error")
        context = {
            key: value
            for key, value in (result.get("context") or {}).items()
            if isinstance(value, str | int | float | bool)
        }
        return AuthorizerDecision("policy", str(result["principalId"]), context, result["policyDocument"])
