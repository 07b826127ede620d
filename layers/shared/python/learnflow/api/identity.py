"""Who is calling, as the gateway's authorizer established it; handlers never read tokens."""

from dataclasses import dataclass
from typing import Any

from learnflow.domain.errors import AuthenticationError, PermissionDeniedError
from learnflow.domain.models import Role


@dataclass(frozen=True)
class Identity:
    user_id: str
    role: Role

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise PermissionDeniedError(f"This needs the role {' or '.join(roles)}.")


def identity_from_authorizer(authorizer: dict[str, Any] | None) -> Identity:
    context = authorizer or {}
    user_id, role = context.get("principalId"), context.get("role")
    if not user_id or role not in ("student", "teacher", "admin"):
        raise AuthenticationError("This route needs a signed-in user.")
    return Identity(user_id=str(user_id), role=role)
