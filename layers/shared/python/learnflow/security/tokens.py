"""Access and refresh tokens: JWTs signed with HS256, typed so one can never stand in for the other."""

import uuid
from datetime import UTC, datetime, timedelta

import jwt

from learnflow.domain.errors import AuthenticationError
from learnflow.domain.models import Role
from learnflow.domain.sessions import TokenClaims, TokenType

ALGORITHM = "HS256"


class TokenService:
    def __init__(
        self, signing_key: str, *, issuer: str, audience: str, access_ttl: timedelta, refresh_ttl: timedelta
    ) -> None:
        self._key = signing_key
        self._issuer = issuer
        self._audience = audience
        self._ttl = {"access": access_ttl, "refresh": refresh_ttl}

    @property
    def access_ttl(self) -> timedelta:
        return self._ttl["access"]

    def issue(
        self, user_id: str, role: Role, token_type: TokenType, *, family_id: str | None = None
    ) -> TokenClaims:
        now = datetime.now(UTC)
        return TokenClaims(
            user_id, role, token_type, str(uuid.uuid4()), now + self._ttl[token_type], family_id
        )

    def encode(self, claims: TokenClaims) -> str:
        payload = {
            "sub": claims.user_id,
            "role": claims.role,
            "typ": claims.token_type,
            "jti": claims.token_id,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": datetime.now(UTC),
            "exp": claims.expires_at,
        }
        if claims.family_id:
            payload["fam"] = claims.family_id
        return jwt.encode(payload, self._key, algorithm=ALGORITHM)

    def decode(self, token: str, expected_type: TokenType) -> TokenClaims:
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["sub", "role", "typ", "jti", "iss", "aud", "iat", "exp"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationError("The token has expired; log in again.") from None
        except jwt.PyJWTError:
            raise AuthenticationError("The token is not valid.") from None
        if payload["typ"] != expected_type or payload["role"] not in ("student", "teacher", "admin"):
            raise AuthenticationError("The token is not valid.")
        return TokenClaims(
            user_id=payload["sub"],
            role=payload["role"],
            token_type=payload["typ"],
            token_id=payload["jti"],
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            family_id=payload.get("fam"),
        )
