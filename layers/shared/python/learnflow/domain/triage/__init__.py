"""The offline intent classifier: routes a student's query to one of the five tutor agents."""

from learnflow.domain.triage.classifier import Triage, classify

__all__ = ["Triage", "classify"]
