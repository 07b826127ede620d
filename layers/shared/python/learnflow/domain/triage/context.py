"""The student's context added to a triaged question: mastery and recent error patterns.

Read once per student and kept CONTEXT_TTL_SECONDS (5 minutes) in the execution environment, so a
burst of questions costs one database read.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from cachetools import TTLCache

CONTEXT_TTL_SECONDS = 300
CONTEXT_CACHE_SIZE = 4096


@dataclass(frozen=True)
class ErrorPattern:
    error_type: str
    count: int


@dataclass(frozen=True)
class StudentContext:
    """`mastery` is overall (None before any progress); `topic_mastery` per curriculum topic."""

    mastery: int | None = None
    topic_mastery: Mapping[str, int] = field(default_factory=dict)
    recent_errors: tuple[ErrorPattern, ...] = ()

    def mastery_in(self, topic: str | None) -> int | None:
        """The mastery of a curriculum topic ("functions"), else the overall mastery."""
        if topic is not None and topic in self.topic_mastery:
            return self.topic_mastery[topic]
        return self.mastery


class StudentContextSource(Protocol):
    def context_of(self, user_id: str) -> StudentContext: ...


clock: Callable[[], float] = time.monotonic
_cache: TTLCache[str, StudentContext] = TTLCache(
    maxsize=CONTEXT_CACHE_SIZE, ttl=CONTEXT_TTL_SECONDS, timer=lambda: clock()
)


def cached_context(source: StudentContextSource, user_id: str) -> StudentContext:
    """The student's context, from the cache while it is younger than 5 minutes."""
    context = _cache.get(user_id)
    if context is None:
        context = source.context_of(user_id)
        _cache[user_id] = context
    return context


def forget_cached_contexts() -> None:
    _cache.clear()
