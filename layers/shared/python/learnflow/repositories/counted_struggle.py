"""Struggle episodes opened and closed, counted for the metrics without the domain knowing.

The handlers that record errors or passing runs give the domain this repository instead of the plain
one: it counts the episodes the transaction starts and ends, and `emit` writes the counts once the
transaction committed (a transaction rolled back counts nothing).
"""

from collections import Counter
from datetime import datetime
from typing import Any

from psycopg import Connection

from learnflow.domain.struggle import EndReason, Episode
from learnflow.observability import count
from learnflow.repositories.struggle import StruggleRepository


class CountedStruggleRepository(StruggleRepository):
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        super().__init__(conn)
        self.opened = 0
        self.closed: Counter[str] = Counter()

    def start_episode(self, episode: Episode) -> None:
        super().start_episode(episode)
        self.opened += 1

    def end_episode(self, episode_id: str, at: datetime, reason: EndReason) -> None:
        super().end_episode(episode_id, at, reason)
        self.closed[reason] += 1

    def emit(self) -> None:
        """`StruggleEpisodesOpened` and `StruggleEpisodesClosed` by reason; call after the commit."""
        if self.opened:
            count("StruggleEpisodesOpened", self.opened)
        for reason, closed in self.closed.items():
            count("StruggleEpisodesClosed", closed, reason=reason)
