"""A refresh token is spent at most once, even when two requests present it at the same moment."""

import threading
import uuid
from datetime import timedelta

import pytest

from learnflow.db.pool import connection_pool
from learnflow.domain import accounts, sessions
from learnflow.repositories.database import Database
from learnflow.security.passwords import password_hasher
from learnflow.security.tokens import TokenService

pytestmark = pytest.mark.database

TOKENS = TokenService(
    "k" * 48,
    issuer="learnflow",
    audience="learnflow-api",
    access_ttl=timedelta(minutes=15),
    refresh_ttl=timedelta(days=7),
)


def test_two_simultaneous_refreshes_get_one_session_and_the_family_is_revoked(database_url: str) -> None:
    db = Database(connection_pool(database_url, 4))
    with db.transaction("test") as uow:
        user = accounts.register(
            uow,
            password_hasher,
            email=f"{uuid.uuid4().hex[:8]}@example.com",
            password="a long passphrase",
            display_name="Ada",
            role="student",
        )
        session = sessions.start(uow.refresh_tokens, TOKENS, user)

    both_ready = threading.Barrier(2)
    outcomes: list[sessions.Session | sessions.RefreshRefusedError] = []

    def refresh() -> None:
        with db.transaction("test") as uow:
            both_ready.wait()
            outcomes.append(sessions.rotate(uow.refresh_tokens, uow.users, TOKENS, session.refresh_token))

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    granted = [outcome for outcome in outcomes if isinstance(outcome, sessions.Session)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, sessions.RefreshRefusedError)]
    assert (len(granted), len(refused)) == (1, 1)
    assert refused[0].replayed
    with db.transaction("test") as uow:
        again = sessions.rotate(uow.refresh_tokens, uow.users, TOKENS, granted[0].refresh_token)
    assert isinstance(again, sessions.RefreshRefusedError)
