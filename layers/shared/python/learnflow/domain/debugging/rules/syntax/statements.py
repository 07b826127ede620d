"""Statements: the student writes a block header, `print`, `import` or `for` in a shape Python cannot read."""

import re

from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import SyntaxFacts
from learnflow.domain.debugging.rules.syntax.compiling import code_part, line_fixed_if_better

_BLOCK_KEYWORDS = ("if", "elif", "else", "for", "while", "def", "class", "try", "except", "finally", "with")


def _header(facts: SyntaxFacts) -> str:
    """The first word of the failing line, as a block's keyword."""
    words = facts.shown.split()
    return words[0].rstrip(":(") if words else ""


def _header_without_colon(facts: SyntaxFacts) -> bool:
    """Whether the compiler expects a colon, or the line starts a block and does not end with one."""
    if facts.message.startswith("expected ':'"):
        return True
    code, _ = code_part(facts.text)
    return (
        facts.message.startswith("invalid syntax")
        and _header(facts) in _BLOCK_KEYWORDS
        and not code.endswith(":")
    )


def else_if(facts: SyntaxFacts) -> Diagnosis | None:
    """The student writes `else if x > 0:` for `elif x > 0:`."""
    if not _header_without_colon(facts) or not re.match(r"^\s*else\s+if\b", facts.text):
        return None
    code, comment = code_part(facts.text)
    fixed_line = re.sub(r"^(\s*)else\s+if\b", r"\1elif", code) + ("" if code.endswith(":") else ":")
    return Diagnosis(
        situation="syntax.else_if",
        kind=facts.not_run() + ", where a condition follows `else`.",
        pointer=(
            "`else` never takes a condition: it runs when nothing before it matched. "
            "Python has a single keyword for 'otherwise, if ...'."
        ),
        fix=f"Write `elif` instead of `else if`: `{fixed_line.strip()}`",
        fixed_code=line_fixed_if_better(facts, fixed_line + comment),
        line=facts.line,
    )


def missing_colon(facts: SyntaxFacts) -> Diagnosis | None:
    """The student forgets the colon at the end of a block header: `if x > 0`."""
    if not _header_without_colon(facts):
        return None
    code, comment = code_part(facts.text)
    fixed_line = code + ":" + comment
    return Diagnosis(
        situation="syntax.missing_colon",
        kind=facts.not_run() + ", at the end of that line.",
        pointer=(
            f"A line that starts a block (`{_header(facts)}` here) must end with a colon: "
            "the colon tells Python that the indented lines below belong to it. "
            "Check the very end of the line."
        ),
        fix=f"Add a colon at the end of line {facts.line}: `{fixed_line.strip()}`",
        fixed_code=line_fixed_if_better(facts, fixed_line),
        line=facts.line,
    )


def print_without_parentheses(facts: SyntaxFacts) -> Diagnosis | None:
    """The student writes Python 2's `print "Hello"`."""
    found = re.match(r"^(\s*)(print|exec)\s+(.*?)\s*$", facts.text)
    if not found or not facts.message.startswith(("Missing parentheses in call to", "invalid syntax")):
        return None
    fixed_line = f"{found.group(1)}{found.group(2)}({found.group(3)})"
    return Diagnosis(
        situation="syntax.print_without_parentheses",
        kind=facts.not_run() + ": a function is used without its parentheses.",
        pointer=(
            f"In Python 3, `{found.group(2)}` is a function, "
            "and calling a function always needs parentheses around what you give it. "
            "(Without them is the Python 2 style.)"
        ),
        fix=f"Put what you want to print inside parentheses: `{fixed_line.strip()}`",
        fixed_code=line_fixed_if_better(facts, fixed_line),
        line=facts.line,
    )


def import_in_wrong_order(facts: SyntaxFacts) -> Diagnosis | None:
    """The student writes `import sqrt from math` for `from math import sqrt`."""
    found = re.match(r"^(\s*)import\s+(.+?)\s+from\s+([\w.]+)\s*$", facts.text)
    if not found:
        return None
    fixed_line = f"{found.group(1)}from {found.group(3)} import {found.group(2)}"
    return Diagnosis(
        situation="syntax.import_order",
        kind=facts.not_run() + ": the import is written in the wrong order.",
        pointer="To import one name out of a module, Python's sentence starts with the module, not the name.",
        fix=f"Write `{fixed_line.strip()}`",
        fixed_code=line_fixed_if_better(facts, fixed_line),
        line=facts.line,
    )


def for_without_in(facts: SyntaxFacts) -> Diagnosis | None:
    """The student leaves out `in` from a loop: `for i range(10):`."""
    found = re.match(r"^(\s*)for\s+([\w, ]+?)\s+(range|enumerate|zip|\w+)\b(.*)$", facts.text)
    if not found or " in " in facts.text or not facts.message.startswith("invalid syntax"):
        return None
    fixed_line = f"{found.group(1)}for {found.group(2)} in {found.group(3)}{found.group(4)}"
    return Diagnosis(
        situation="syntax.for_without_in",
        kind=facts.not_run() + ": the `for` loop is missing a word.",
        pointer=(
            "A `for` loop has three parts: the name that takes each value, a short keyword, then the "
            "things to loop over, with a colon at the end. Here the keyword between the name and the "
            "things is missing."
        ),
        fix=f"Add `in`: `{fixed_line.strip()}`",
        fixed_code=line_fixed_if_better(facts, fixed_line),
        line=facts.line,
    )


def def_without_parentheses(facts: SyntaxFacts) -> Diagnosis | None:
    """The student defines a function without its parentheses: `def greet:`."""
    found = re.match(r"^(\s*)(def|class)\s+(\w+)\s*:", facts.text)
    if (
        not found
        or not facts.message.startswith(("expected '('", "invalid syntax"))
        or found.group(2) == "class"
    ):
        return None
    name = found.group(3)
    fixed_line = facts.text.replace(f"{name}", f"{name}()", 1).replace("() :", "():")
    return Diagnosis(
        situation="syntax.def_without_parentheses",
        kind=facts.not_run() + ", right after the function's name.",
        pointer=(
            "A function definition always has parentheses after its name, "
            f"even when `{name}` takes no parameters: they hold the list of parameters."
        ),
        fix=f"Add empty parentheses: `{fixed_line.strip()}`",
        fixed_code=line_fixed_if_better(facts, fixed_line),
        line=facts.line,
    )


def outside_function_or_loop(facts: SyntaxFacts) -> Diagnosis | None:
    """The student's `return` or `break` lost its indentation and fell out of its function or loop."""
    found = re.match(
        r"'(return|yield|break|continue|await)' (outside|not properly in) (function|loop)", facts.message
    )
    if not found:
        return None
    word, place = found.group(1), found.group(3)
    return Diagnosis(
        situation=f"syntax.{word}_outside_{place}",
        kind=facts.not_run() + f": `{word}` is used outside a {place}.",
        pointer=(
            f"`{word}` only makes sense inside a {place}, but line {facts.line} is not inside one. "
            f"Usually the line lost its indentation, so Python thinks the {place} ended before it."
        ),
        fix=(
            f"Indent line {facts.line} so that it sits inside the {place} it belongs to "
            f"(same indentation as the {place}'s other lines), or remove `{word}` if it is not needed there."
        ),
        line=facts.line,
    )
