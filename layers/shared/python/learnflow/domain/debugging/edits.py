"""Small, exact edits of the student's code, to build a corrected version of it."""

import re


def _split(code: str) -> tuple[list[str], str]:
    ending = "\n" if code.endswith("\n") else ""
    return code.splitlines(), ending


def replace_line(code: str, number: int, new_text: str) -> str:
    lines, ending = _split(code)
    if not 1 <= number <= len(lines):
        return code
    lines[number - 1] = new_text
    return "\n".join(lines) + ending


def insert_lines(code: str, before: int, new_lines: list[str]) -> str:
    """Inserts lines so that the first of them becomes line `before` (1-based)."""
    lines, ending = _split(code)
    index = min(max(before - 1, 0), len(lines))
    lines[index:index] = new_lines
    return "\n".join(lines) + ending


def replace_word(code: str, number: int, old: str, new: str, *, column: int | None = None) -> str | None:
    """Replaces the whole word `old` on a line (the one nearest `column`, 0-based); None when absent."""
    lines, _ = _split(code)
    if not 1 <= number <= len(lines):
        return None
    line = lines[number - 1]
    spots = [match.start() for match in re.finditer(rf"(?<![\w.]){re.escape(old)}(?!\w)", line)]
    if not spots:
        spots = [match.start() for match in re.finditer(rf"(?<!\w){re.escape(old)}(?!\w)", line)]
    if not spots:
        return None
    start = min(spots, key=lambda spot: abs(spot - column)) if column is not None else spots[0]
    return replace_line(code, number, line[:start] + new + line[start + len(old) :])


def replace_text(code: str, number: int, old: str, new: str) -> str | None:
    """Replaces the first occurrence of `old` on a line; None when absent."""
    lines, _ = _split(code)
    if not 1 <= number <= len(lines) or old not in lines[number - 1]:
        return None
    return replace_line(code, number, lines[number - 1].replace(old, new, 1))


def replace_span(code: str, start: tuple[int, int], end: tuple[int, int], new: str) -> str:
    """Replaces the text from (line, column) to (line, column), 1-based lines and 0-based columns."""
    lines, ending = _split(code)
    (first_line, first_column), (last_line, last_column) = start, end
    head = lines[first_line - 1][:first_column]
    tail = lines[last_line - 1][last_column:]
    replaced = (head + new + tail).split("\n")
    lines[first_line - 1 : last_line] = replaced
    return "\n".join(lines) + ending


def changed_lines(before: str, after: str) -> list[str]:
    """The lines of `after` that `before` does not have (what a fix adds or changes)."""
    old = {line.strip() for line in before.splitlines()}
    return [line for line in after.splitlines() if line.strip() and line.strip() not in old]
