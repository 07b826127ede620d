import pytest

from learnflow.domain.accounts import check_password_policy
from learnflow.domain.errors import InvalidInputError


@pytest.mark.parametrize(
    ("email", "password", "reason"),
    [
        ("a@example.com", "short", "at least 10"),
        ("long.address@example.com", "Long.Address@example.com", "email"),
    ],
)
def test_the_password_policy_explains_what_is_wrong(email: str, password: str, reason: str) -> None:
    with pytest.raises(InvalidInputError, match=reason) as refused:
        check_password_policy(email, password)
    assert refused.value.details[0]["field"] == "password"


def test_a_long_password_that_is_not_the_email_is_accepted() -> None:
    check_password_policy("a@example.com", "ten chars!")
