"""Any other syntax error: the student is shown where Python stopped understanding the line."""

from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import SyntaxFacts
from learnflow.domain.debugging.rules.syntax.compiling import previous_code_line


def unreadable(facts: SyntaxFacts) -> Diagnosis:
    """A mistake no other syntax situation recognises; the hint points just before where Python stopped."""
    column = f", around column {facts.column}" if facts.column else ""
    previous = previous_code_line(facts.code, facts.line or 0) if facts.line else None
    return Diagnosis(
        situation="syntax.other",
        kind=facts.not_run() + f"{column}.",
        pointer=(
            f"Python stopped understanding the line at the place it marks ({facts.message}). "
            "Often the real mistake is just before that point, or at the end of the line above"
            + (f" (line {previous})" if previous and previous != facts.line else "")
            + ": a missing bracket, quote, colon or operator."
        ),
        fix=(
            "Compare the line with a working example of the same kind of statement, symbol by symbol; "
            "check that every bracket and quote is closed and every operator is written out."
        ),
        line=facts.line,
    )
