"""Sessions: an access token plus a refresh token that is spent each time it is used.

Every refresh token of one sign-in shares a family id. Using a refresh token spends it and
issues the next one in the family; presenting a spent one again means it was copied, so the
whole family is revoked and both holders must sign in again. Logging out revokes the family.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from learnflow.domain.errors import AuthenticationError
from learnflow.domain.models import Role, User
from learnflow.domain.ports import UserStore

INVALID_REFRESH_TOKEN = "The refresh token is not valid; sign in again."  # noqa: S105 (a message)
TokenType = Literal["access", "refresh"]


@dataclass(frozen=True)
class TokenClaims:
    user_id: str
    role: Role
    token_type: TokenType
    token_id: str
    expires_at: datetime
    family_id: str | None = None


@dataclass(frozen=True)
class StoredRefreshToken:
    id: str
    user_id: str
    family_id: str
    spent: bool
    revoked: bool


class RefreshTokenStore(Protocol):
    def add(self, token_id: str, *, user_id: str, family_id: str, expires_at: datetime) -> None: ...
    def lock(self, token_id: str) -> StoredRefreshToken | None:
        """The token's record, locked until the transaction ends so it is spent at most once."""
        ...

    def spend(self, token_id: str) -> None: ...
    def revoke_family(self, family_id: str) -> None: ...


class TokenIssuer(Protocol):
    """`learnflow.security.tokens.TokenService` is one."""

    @property
    def access_ttl(self) -> timedelta: ...
    def issue(
        self, user_id: str, role: Role, token_type: TokenType, *, family_id: str | None = None
    ) -> TokenClaims: ...
    def encode(self, claims: TokenClaims) -> str: ...
    def decode(self, token: str, expected_type: TokenType) -> TokenClaims: ...


class RefreshRefusedError(AuthenticationError):
    """A refresh token that cannot be used; `replayed` when it had been spent already."""

    def __init__(self, *, user_id: str | None = None, replayed: bool = False) -> None:
        super().__init__(INVALID_REFRESH_TOKEN)
        self.user_id = user_id
        self.replayed = replayed


@dataclass(frozen=True)
class Session:
    access_token: str
    refresh_token: str
    expires_in: int

    def body(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
        }


def start(
    store: RefreshTokenStore, tokens: TokenIssuer, user: User, *, family_id: str | None = None
) -> Session:
    """Tokens for a user who just proved who they are; a new family unless continuing one."""
    access = tokens.issue(user.id, user.role, "access")
    refresh = tokens.issue(user.id, user.role, "refresh", family_id=family_id or str(uuid.uuid4()))
    assert refresh.family_id is not None
    store.add(refresh.token_id, user_id=user.id, family_id=refresh.family_id, expires_at=refresh.expires_at)
    return Session(tokens.encode(access), tokens.encode(refresh), int(tokens.access_ttl.total_seconds()))


def _claims(tokens: TokenIssuer, refresh_token: str) -> TokenClaims | None:
    try:
        return tokens.decode(refresh_token, "refresh")
    except AuthenticationError:
        return None


def rotate(
    store: RefreshTokenStore, users: UserStore, tokens: TokenIssuer, refresh_token: str
) -> Session | RefreshRefusedError:
    """Spends the refresh token for a new session in its family.

    A refusal is returned, not raised: revoking a replayed token's family must commit.
    """
    claims = _claims(tokens, refresh_token)
    stored = store.lock(claims.token_id) if claims else None
    if claims is None or stored is None or stored.user_id != claims.user_id or stored.revoked:
        return RefreshRefusedError(user_id=claims.user_id if claims else None)
    if stored.spent:
        store.revoke_family(stored.family_id)
        return RefreshRefusedError(user_id=stored.user_id, replayed=True)
    user = users.by_id(stored.user_id)
    if user is None:
        return RefreshRefusedError(user_id=stored.user_id)
    store.spend(stored.id)
    return start(store, tokens, user, family_id=stored.family_id)


def end(store: RefreshTokenStore, tokens: TokenIssuer, *, user_id: str, refresh_token: str) -> None:
    """Logs out: the refresh token's whole family is revoked. Only the token's owner may do it."""
    claims = _claims(tokens, refresh_token)
    stored = store.lock(claims.token_id) if claims else None
    if claims is None or stored is None or stored.user_id != user_id or claims.user_id != user_id:
        raise RefreshRefusedError(user_id=user_id)
    store.spend(stored.id)
    store.revoke_family(stored.family_id)
