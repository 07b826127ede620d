"""The offline intent classifier: routes a student's query to one of the five tutor agents."""

from learnflow.domain.triage.classifier import Triage, classify
from learnflow.domain.triage.context import (
    ErrorPattern,
    StudentContext,
    StudentContextSource,
    cached_context,
)

__all__ = ["ErrorPattern", "StudentContext", "StudentContextSource", "Triage", "cached_context", "classify"]
