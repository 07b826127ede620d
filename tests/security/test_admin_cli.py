"""Administrators come from `learnflow admin create` only, with the same password policy."""

import uuid

import httpx
import pytest

from localcloud.admin import PASSWORD_VARIABLE
from tests.cloud_process import Account, RunningCloud, run_cli

pytestmark = pytest.mark.cloud


def test_an_admin_created_by_the_cli_signs_in_as_admin(api: httpx.Client, admin: Account) -> None:
    me = api.get("/api/v1/auth/me", headers=admin.headers)
    assert me.json()["user"] == {
        "id": admin.id,
        "email": admin.email,
        "display_name": "Operator",
        "role": "admin",
    }


def test_the_cli_applies_the_password_policy_and_refuses_duplicates(
    cloud: RunningCloud, admin: Account
) -> None:
    weak = run_cli(
        cloud,
        "admin",
        "create",
        "--email",
        f"a-{uuid.uuid4().hex[:6]}@example.com",
        "--display-name",
        "A",
        **{PASSWORD_VARIABLE: "short"},
    )
    assert weak.returncode == 1
    assert "at least 10 characters" in weak.stderr
    twice = run_cli(
        cloud,
        "admin",
        "create",
        "--email",
        admin.email,
        "--display-name",
        "Again",
        **{PASSWORD_VARIABLE: "another long passphrase"},
    )
    assert twice.returncode == 1
    assert "already exists" in twice.stderr
    not_an_email = run_cli(
        cloud,
        "admin",
        "create",
        "--email",
        "root",
        "--display-name",
        "Root",
        **{PASSWORD_VARIABLE: "another long passphrase"},
    )
    assert not_an_email.returncode == 2
    for result in (weak, twice, not_an_email):
        assert "passphrase" not in result.stdout + result.stderr
