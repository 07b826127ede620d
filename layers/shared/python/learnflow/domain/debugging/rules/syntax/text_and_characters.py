"""Text and characters: a string the student never closes, or a character Python does not accept in code."""

import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import SyntaxFacts
from learnflow.domain.debugging.rules.syntax.compiling import changed_line, fixed_if_better

# characters that word processors, web pages and chats put in place of plain ones
_PLAIN_CHARACTERS = {
    "\u201c": '"',  # curly double quotes
    "\u201d": '"',
    "\u2018": "'",  # curly single quotes
    "\u2019": "'",
    "\u00a0": " ",  # non-breaking space
    "\u2013": "-",  # dashes
    "\u2014": "-",
    "\u00d7": "*",  # multiplication and division signs
    "\u00f7": "/",
}


def _is_unterminated_string(facts: SyntaxFacts) -> bool:
    return facts.message.startswith(
        ("unterminated string literal", "unterminated triple-quoted", "EOL while scanning")
    ) or facts.message.startswith("EOF while scanning triple-quoted")


def _opening_quote(facts: SyntaxFacts, triple: bool) -> str:
    """The quote the string opens with: at the compiler's column, else the first on the line."""
    text = facts.text
    start = (facts.column or 1) - 1
    quote = text[start : start + (3 if triple else 1)] if start < len(text) else '"'
    if quote[:1] not in "'\"":
        match = re.search(r"""(['"])""", text)
        quote = match.group(1) if match else '"'
    return quote


def _closed_line_candidates(facts: SyntaxFacts, quote: str) -> list[str | None]:
    """The line with the quote added before its closing brackets, at its end, or before its last word."""
    code = facts.text.rstrip()
    trailing = re.search(r"[)\]}:,]*$", code)
    cut = trailing.start() if trailing else len(code)
    candidates: list[str | None] = [
        edits.replace_line(facts.code.text, facts.line or 0, code[:cut] + quote + code[cut:]),
        edits.replace_line(facts.code.text, facts.line or 0, code + quote),
    ]
    opening = re.search(r"[(\[,=]\s*([A-Za-z_]\w*)" + re.escape(quote), code)
    if opening:  # the quote at the end is the closing one: the opening one is missing
        word_start = opening.start(1)
        candidates.append(
            edits.replace_line(
                facts.code.text, facts.line or 0, code[:word_start] + quote + code[word_start:]
            )
        )
    return candidates


def unterminated_string(facts: SyntaxFacts) -> Diagnosis | None:
    """The student forgets the closing quote of a string: `print("Hello)`."""
    if not _is_unterminated_string(facts):
        return None
    triple = "triple-quoted" in facts.message
    quote = _opening_quote(facts, triple)
    if triple:
        candidates: list[str | None] = [
            facts.code.text.rstrip("\n") + "\n" + quote * (3 // len(quote)) + "\n"
        ]
    else:
        candidates = _closed_line_candidates(facts, quote)
    fixed = fixed_if_better(facts, candidates)
    fixed_line = changed_line(facts.code.text, fixed)
    return Diagnosis(
        situation="syntax.unterminated_string",
        kind=facts.not_run() + ": a piece of text (a string) is not closed.",
        pointer=(
            f"A string starts with {quote} but this line has no matching {quote} to end it, "
            "so Python reads the rest of the line as text. Find where the text should stop."
        ),
        fix="Close the string with the same quote it opened with"
        + (f": `{fixed_line}`" if fixed_line else ".")
        + " A string opened with a double quote must end with a double quote.",
        fixed_code=fixed,
        line=facts.line,
    )


def invalid_character(facts: SyntaxFacts) -> Diagnosis | None:
    """The student pastes code with curly quotes or other look-alike characters: `print(“Hi”)`."""
    found = re.match(r"invalid (non-printable )?character '?(.)?'? ?\(?U\+([0-9A-F]+)\)?", facts.message)
    if not found:
        return None
    character = chr(int(found.group(3), 16))
    replacement = _PLAIN_CHARACTERS.get(character)
    candidates: list[str | None] = []
    if replacement is not None:
        cleaned = facts.code.text
        for fancy, plain in _PLAIN_CHARACTERS.items():
            cleaned = cleaned.replace(fancy, plain)
        candidates.append(cleaned)
    name = "a curly quote" if character in "\u201c\u201d\u2018\u2019" else f"the character U+{found.group(3)}"
    return Diagnosis(
        situation="syntax.invalid_character",
        kind=facts.not_run() + ": it holds a character Python does not accept in code.",
        pointer=(
            f"Line {facts.line} contains {name}, "
            "which often comes from copying code out of a word processor, a web page or a chat. "
            "Python only accepts plain quotes `\"` `'`, plain spaces and plain symbols in code."
        ),
        fix=(
            f"Retype it on your keyboard: use `{replacement}` instead of `{character}`"
            if replacement
            else "Delete the character and retype that part of the line on your keyboard."
        ),
        fixed_code=fixed_if_better(facts, candidates),
        line=facts.line,
    )
