"""The debug agent: reads students' errors and explains them in three progressive hints."""

from learnflow.domain.debugging.analyzer import analyze, leaked_lines
from learnflow.domain.debugging.models import DebugAnalysis, Diagnosis, Frame, Hint, ParsedError
from learnflow.domain.debugging.tracebacks import parse_traceback

__all__ = [
    "DebugAnalysis",
    "Diagnosis",
    "Frame",
    "Hint",
    "ParsedError",
    "analyze",
    "leaked_lines",
    "parse_traceback",
]
