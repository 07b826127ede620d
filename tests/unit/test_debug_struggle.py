"""The struggle rule, on its own: when an occurrence starts, extends or follows an episode."""

from datetime import UTC, datetime, timedelta

import pytest

from learnflow.domain.struggle import Episode, StrugglePolicy, decide

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
POLICY = StrugglePolicy(threshold=3, window=timedelta(minutes=10), quiet_period=timedelta(minutes=10))


def _episode(last_seen_minutes_ago: int) -> Episode:
    return Episode(
        "e", "u", "NameError", NOW - timedelta(minutes=30), NOW - timedelta(minutes=last_seen_minutes_ago), 4
    )


@pytest.mark.parametrize(("counted", "starts"), [(1, False), (3, False), (4, True), (9, True)])
def test_more_than_the_threshold_within_the_window_starts_an_episode(counted: int, starts: bool) -> None:
    decision = decide(POLICY, now=NOW, open_episode=None, counted_in_window=counted)
    assert decision.start is starts and decision.extend is None


def test_an_open_episode_is_extended_and_nothing_new_starts() -> None:
    episode = _episode(last_seen_minutes_ago=2)
    decision = decide(POLICY, now=NOW, open_episode=episode, counted_in_window=12)
    assert decision.extend == episode and not decision.start and decision.end_stale is None


def test_an_episode_quiet_for_longer_than_the_quiet_period_has_ended() -> None:
    episode = _episode(last_seen_minutes_ago=11)
    decision = decide(POLICY, now=NOW, open_episode=episode, counted_in_window=1)
    assert decision.end_stale == episode and decision.extend is None and not decision.start


def test_the_rule_refuses_meaningless_settings() -> None:
    with pytest.raises(ValueError, match="positive"):
        StrugglePolicy(threshold=0)
