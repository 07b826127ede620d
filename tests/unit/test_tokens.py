from datetime import UTC, datetime, timedelta

import jwt
import pytest
from argon2 import PasswordHasher

from learnflow.domain.errors import AuthenticationError
from learnflow.security.passwords import password_hasher
from learnflow.security.tokens import TokenService

KEY = "k" * 48


def service(key: str = KEY, **overrides: object) -> TokenService:
    options: dict[str, object] = {
        "issuer": "learnflow",
        "audience": "learnflow-api",
        "access_ttl": timedelta(minutes=15),
        "refresh_ttl": timedelta(days=7),
    }
    return TokenService(key, **(options | overrides))  # type: ignore[arg-type]


def test_an_access_token_round_trips_with_its_claims() -> None:
    tokens = service()
    issued = tokens.issue("user-1", "student", "access")
    claims = tokens.decode(tokens.encode(issued), "access")
    assert (claims.user_id, claims.role, claims.token_type) == ("user-1", "student", "access")
    assert timedelta(minutes=14) < claims.expires_at - datetime.now(UTC) <= timedelta(minutes=15)


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "not.a.token",
        jwt.encode({"sub": "u", "role": "admin", "typ": "access"}, key=None, algorithm="none"),
        jwt.encode(
            {
                "sub": "u",
                "role": "admin",
                "typ": "access",
                "jti": "j",
                "iss": "learnflow",
                "aud": "learnflow-api",
                "iat": 0,
                "exp": 4102444800,
            },
            "secret",
            algorithm="HS256",
        ),
    ],
)
def test_forged_tokens_are_refused(forged: str) -> None:
    with pytest.raises(AuthenticationError):
        service().decode(forged, "access")


def test_a_tampered_payload_breaks_the_signature() -> None:
    tokens = service()
    header, _, signature = tokens.encode(tokens.issue("u", "student", "access")).split(".")
    claims = jwt.decode(
        tokens.encode(tokens.issue("u", "student", "access")), options={"verify_signature": False}
    )
    claims["role"] = "admin"
    forged_payload = jwt.encode(claims, "other-key-that-is-long-enough-000000", algorithm="HS256").split(".")[
        1
    ]
    with pytest.raises(AuthenticationError):
        tokens.decode(f"{header}.{forged_payload}.{signature}", "access")


def test_one_kind_of_token_never_stands_in_for_the_other() -> None:
    tokens = service()
    refresh = tokens.encode(tokens.issue("u", "student", "refresh", family_id="f"))
    with pytest.raises(AuthenticationError):
        tokens.decode(refresh, "access")
    assert tokens.decode(refresh, "refresh").family_id == "f"


def test_expired_wrong_audience_and_wrong_issuer_are_refused() -> None:
    expired = service(access_ttl=timedelta(seconds=-1))
    with pytest.raises(AuthenticationError, match="expired"):
        expired.decode(expired.encode(expired.issue("u", "student", "access")), "access")
    for other in (service(audience="elsewhere"), service(issuer="someone-else")):
        with pytest.raises(AuthenticationError):
            service().decode(other.encode(other.issue("u", "student", "access")), "access")


def test_passwords_are_hashed_with_argon2id_and_verified() -> None:
    hashed = password_hasher.hash("correct horse battery")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")  # OWASP's minimum, no weaker
    assert "correct horse" not in hashed
    assert password_hasher.verify(hashed, "correct horse battery")
    assert not password_hasher.verify(hashed, "Correct horse battery")
    assert not password_hasher.verify(None, "correct horse battery")
    assert not password_hasher.verify("garbage", "x")


def test_hashes_made_with_the_earlier_stronger_parameters_still_verify() -> None:
    earlier = PasswordHasher().hash("correct horse battery")  # argon2-cffi's defaults: t=3, 64 MiB, p=4

    assert password_hasher.verify(earlier, "correct horse battery")
    assert not password_hasher.verify(earlier, "correct horse batter")
