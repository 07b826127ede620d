"""A situation recognises one student mistake from the facts of an error and explains it."""

from collections.abc import Callable, Iterable

from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import ErrorFacts

type Situation[F: ErrorFacts] = Callable[[F], Diagnosis | None]


def first_match[F: ErrorFacts](situations: Iterable[Situation[F]], facts: F) -> Diagnosis | None:
    """The help of the first situation, in order, that recognises the error; None when none does."""
    for situation in situations:
        found = situation(facts)
        if found is not None:
            return found
    return None
