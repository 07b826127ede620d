"""Numbers an LLM writes about a student's progress must be the student's real figures."""

import json
import re
from typing import Any

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])")


def numbers_in(text: str) -> set[str]:
    """Every number written with digits, normalized: "45", "66.7", "1,200" -> "1200"."""
    return {_normalized(found) for found in _NUMBER.findall(text)}


def invented_numbers(text: str, *sources: Any) -> list[str]:
    """The numbers of `text` found in none of `sources` (the figures, their words, the question)."""
    known = set().union(*(numbers_in(_as_text(source)) for source in sources))
    return sorted(numbers_in(text) - known, key=float)


def _as_text(source: Any) -> str:
    return source if isinstance(source, str) else json.dumps(source, default=str)


def _normalized(number: str) -> str:
    if "," in number and re.fullmatch(r"\d{1,3}(,\d{3})+", number):
        number = number.replace(",", "")
    number = number.replace(",", ".")
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return number
