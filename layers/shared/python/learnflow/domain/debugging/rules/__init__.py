"""Targeted help for the errors students meet, one package per error family.

Each situation recognises one student mistake from the error's facts (type, message, line, the
student's code) and explains it at three levels; `registry` decides which situations are tried
for an error, and in which order. "Did you mean" suggestions come from the names, keys and
attributes the student's own code defines.
"""

from learnflow.domain.debugging.rules.facts import SYNTAX_TYPES, RuntimeFacts, SyntaxFacts
from learnflow.domain.debugging.rules.registry import diagnose_runtime, diagnose_syntax
from learnflow.domain.debugging.rules.syntax.compiling import compile_error

__all__ = [
    "SYNTAX_TYPES",
    "RuntimeFacts",
    "SyntaxFacts",
    "compile_error",
    "diagnose_runtime",
    "diagnose_syntax",
]
