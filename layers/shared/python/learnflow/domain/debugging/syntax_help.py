"""Targeted help for programs Python cannot read: SyntaxError, IndentationError, TabError.

Each situation recognises itself from the compiler's message (3.8 to 3.13 wording) and the
line's text, explains it at three levels, and proposes a corrected program that is kept only
if it gets past the error (it compiles, or the first error moves further down).
"""

import io
import re
import tokenize
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.source import SourceCode, article, indentation_of

_BLOCK_KEYWORDS = ("if", "elif", "else", "for", "while", "def", "class", "try", "except", "finally", "with")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items()}
_PYTHON_KEYWORDS = re.compile(
    r"^\s*(class|def|for|while|if|in|is|not|and|or|lambda|return|import|from|pass|global|with|as|try|"
    r"except|finally|raise|del|yield|assert|break|continue|elif|else|None|True|False|async|await)\s*=[^=]"
)

SYNTAX_TYPES = frozenset({"SyntaxError", "IndentationError", "TabError"})


@dataclass(frozen=True)
class SyntaxFacts:
    error_type: str
    message: str
    line: int | None
    #: 1-based, as CPython reports it
    column: int | None
    code: SourceCode

    @property
    def text(self) -> str:
        return self.code.line(self.line)

    @property
    def shown(self) -> str:
        return self.text.strip()


def compile_error(code: str) -> SyntaxFacts | None:
    """The first error CPython reports for the program, without running it; None when it compiles."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code, "main.py", "exec", dont_inherit=True)
    except SyntaxError as error:
        return SyntaxFacts(type(error).__name__, error.msg, error.lineno, error.offset, SourceCode.of(code))
    except (ValueError, RecursionError, MemoryError) as error:
        return SyntaxFacts(
            "SyntaxError", str(error) or "the program is too deeply nested", None, None, SourceCode.of(code)
        )
    return None


def diagnose_syntax(facts: SyntaxFacts) -> Diagnosis:
    for situation in _SITUATIONS:
        found = situation(facts)
        if found is not None:
            return found
    return _generic(facts)


def _where(facts: SyntaxFacts) -> str:
    return f"line {facts.line}" if facts.line else "your program"


def _shown(facts: SyntaxFacts) -> str:
    return f" (`{facts.shown}`)" if facts.shown else ""


def _not_run(facts: SyntaxFacts) -> str:
    return (
        f"This is {article(facts.error_type)} {facts.error_type}: Python could not read your program, so "
        "none of it ran. "
        f"Look at {_where(facts)}{_shown(facts)}"
    )


def _fixed_if_better(facts: SyntaxFacts, candidates: Sequence[str | None]) -> str | None:
    """The first candidate that gets past this error: it compiles, or its first error is further down."""
    for candidate in candidates:
        if candidate is None or candidate == facts.code.text:
            continue
        after = compile_error(candidate)
        if after is None or (after.line or 0) > (facts.line or 0):
            return candidate
    return None


def _code_part(line: str) -> tuple[str, str]:
    """A line split into its code and its trailing comment (a `#` outside strings)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line + "\n").readline))
    except (tokenize.TokenError, SyntaxError):
        return line.rstrip(), ""
    for token in tokens:
        if token.type == tokenize.COMMENT:
            return line[: token.start[1]].rstrip(), " " + line[token.start[1] :]
    return line.rstrip(), ""


def _missing_colon(facts: SyntaxFacts) -> Diagnosis | None:
    words = facts.shown.split()
    header = words[0].rstrip(":(") if words else ""
    code, comment = _code_part(facts.text)
    expected = facts.message.startswith("expected ':'")
    if not expected and not (
        facts.message.startswith("invalid syntax") and header in _BLOCK_KEYWORDS and not code.endswith(":")
    ):
        return None
    if re.match(r"^\s*else\s+if\b", facts.text):
        fixed_line = re.sub(r"^(\s*)else\s+if\b", r"\1elif", code) + ("" if code.endswith(":") else ":")
        return Diagnosis(
            situation="syntax.else_if",
            kind=_not_run(facts) + ", where a condition follows `else`.",
            pointer=(
                "`else` never takes a condition: it runs when nothing before it matched. "
                "Python has a single keyword for 'otherwise, if ...'."
            ),
            fix=f"Write `elif` instead of `else if`: `{fixed_line.strip()}`",
            fixed_code=_fixed_if_better(
                facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line + comment)]
            ),
            line=facts.line,
        )
    fixed_line = code + ":" + comment
    return Diagnosis(
        situation="syntax.missing_colon",
        kind=_not_run(facts) + ", at the end of that line.",
        pointer=(
            f"A line that starts a block (`{header}` here) must end with a colon: the colon tells Python "
            "that the indented lines below belong to it. Check the very end of the line."
        ),
        fix=f"Add a colon at the end of line {facts.line}: `{fixed_line.strip()}`",
        fixed_code=_fixed_if_better(
            facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)]
        ),
        line=facts.line,
    )


def _assignment_in_condition(facts: SyntaxFacts) -> Diagnosis | None:
    maybe_equals = "Maybe you meant '=='" in facts.message
    condition = re.match(r"^\s*(if|elif|while)\b", facts.text)
    single_equals = re.search(r"(?<![=!<>:+\-*/%&|^])=(?!=)", facts.text)
    if not (condition and single_equals and (maybe_equals or facts.message.startswith("invalid syntax"))):
        return None
    position = single_equals.start()
    fixed_line = facts.text[:position] + "==" + facts.text[position + 1 :]
    return Diagnosis(
        situation="syntax.assignment_in_condition",
        kind=_not_run(facts) + ", inside the condition.",
        pointer=(
            "A single `=` stores a value in a variable; it cannot be used as a question. "
            f"The condition of `{condition.group(1)}` has to compare, and comparing uses another operator."
        ),
        fix=f"Use `==` to compare two values: `{fixed_line.strip()}`",
        fixed_code=_fixed_if_better(
            facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)]
        ),
        line=facts.line,
    )


def _invalid_assignment_target(facts: SyntaxFacts) -> Diagnosis | None:
    found = re.match(
        r"cannot assign to (literal|function call|expression|True|False|None|keyword)", facts.message
    )
    if not found and not facts.message.startswith("assignment to keyword"):
        return None
    target = found.group(1) if found else "keyword"
    code, comment = _code_part(facts.text)
    left, _, right = code.partition("=")
    candidates: list[str | None] = []
    fix = (
        "Put the variable on the left of `=` and the value on the right, or use `==` if you meant to compare."
    )
    if target == "literal" and right.strip().isidentifier():
        swapped = f"{indentation_of(code)}{right.strip()} = {left.strip()}"
        candidates.append(edits.replace_line(facts.code.text, facts.line or 0, swapped + comment))
        fix = f"The name goes on the left and the value on the right: `{swapped.strip()}`"
    elif target in {"True", "False", "None", "keyword"}:
        fix = (
            f"`{left.strip()}` is a word Python reserves for itself. Choose another name for your variable, "
            f"for example `{left.strip().lower()}_value`, and use it everywhere."
        )
    return Diagnosis(
        situation="syntax.invalid_assignment_target",
        kind=_not_run(facts) + ", on the left of the `=`.",
        pointer=(
            f"Only a variable name (or an item or attribute) can receive a value, but the left side here, "
            f"`{left.strip()}`, is a {target if target != 'keyword' else 'reserved word'}. "
            "`=` always stores the value on its right into the name on its left."
        ),
        fix=fix,
        fixed_code=_fixed_if_better(facts, candidates),
        line=facts.line,
    )


def _keyword_as_name(facts: SyntaxFacts) -> Diagnosis | None:
    found = _PYTHON_KEYWORDS.match(facts.text)
    if not found or not facts.message.startswith("invalid syntax"):
        return None
    word = found.group(1)
    return Diagnosis(
        situation="syntax.keyword_as_name",
        kind=_not_run(facts) + ", at the name you chose.",
        pointer=(
            f"`{word}` is one of Python's reserved words (keywords), so it cannot be used as a variable name."
        ),
        fix=f"Rename the variable everywhere it appears, for example to `{word}_`, `my_{word}` or a more "
        "descriptive name.",
        line=facts.line,
    )


def _brackets(code: str) -> tuple[list[tuple[str, int, int]], tuple[str, int, int] | None]:
    """Brackets still open at the end, and the first closing one matching nothing (line, column 0-based)."""
    stack: list[tuple[str, int, int]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type != tokenize.OP:
                continue
            if token.string in _OPENERS:
                stack.append((token.string, *token.start))
            elif token.string in _CLOSERS:
                if not stack or stack[-1][0] != _CLOSERS[token.string]:
                    return stack, (token.string, *token.start)
                stack.pop()
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return stack, None


def _unclosed_bracket(facts: SyntaxFacts) -> Diagnosis | None:
    found = re.match(r"'(.)' was never closed", facts.message)
    if not found and not facts.message.startswith("unexpected EOF while parsing"):
        return None
    still_open, _ = _brackets(facts.code.text)
    if not still_open:
        return None
    opener, line, _ = (
        still_open[-1]
        if not found
        else next((entry for entry in reversed(still_open) if entry[0] == found.group(1)), still_open[-1])
    )
    closer = _OPENERS[opener]
    text = facts.code.line(line)
    code, comment = _code_part(text)
    candidates = [edits.replace_line(facts.code.text, line, code + closer + comment)]
    return Diagnosis(
        situation="syntax.unclosed_bracket",
        kind=_not_run(facts).replace(_where(facts), f"line {line}")
        + ": a bracket is opened and never closed.",
        pointer=(
            f"The `{opener}` on line {line} (`{text.strip()}`) has no matching `{closer}`, so Python keeps "
            "reading the next lines as part of it. Count the opening and closing brackets on that line."
        ),
        fix=f"Close the bracket where its expression ends: `{(code + closer).strip()}`",
        fixed_code=_fixed_if_better(facts, candidates),
        line=line,
    )


def _mismatched_bracket(facts: SyntaxFacts) -> Diagnosis | None:
    mismatch = re.match(r"closing parenthesis '(.)' does not match opening parenthesis '(.)'", facts.message)
    unmatched = re.match(r"unmatched '(.)'", facts.message)
    if not mismatch and not unmatched:
        return None
    column = (facts.column or 1) - 1
    text = facts.text
    if mismatch:
        wrong, opener = mismatch.group(1), mismatch.group(2)
        right = _OPENERS[opener]
        fixed_line = (
            text[:column] + right + text[column + 1 :] if text[column : column + 1] == wrong else None
        )
        pointer = (
            f"The bracket `{wrong}` closes a `{opener}`: brackets must be closed with the same kind "
            "they were opened with, innermost first."
        )
        fix = f"Close `{opener}` with `{right}`" + (f": `{fixed_line.strip()}`" if fixed_line else ".")
    else:
        wrong = unmatched.group(1) if unmatched else ")"
        fixed_line = text[:column] + text[column + 1 :] if text[column : column + 1] == wrong else None
        pointer = f"There is a `{wrong}` with no opening bracket before it on this line or the lines above."
        fix = f"Remove the extra `{wrong}` (or add the opening bracket it belongs to)" + (
            f": `{fixed_line.strip()}`" if fixed_line else "."
        )
    candidates = [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)] if fixed_line else []
    return Diagnosis(
        situation="syntax.mismatched_bracket",
        kind=_not_run(facts) + ": its brackets do not pair up.",
        pointer=pointer,
        fix=fix,
        fixed_code=_fixed_if_better(facts, candidates),
        line=facts.line,
    )


def _unterminated_string(facts: SyntaxFacts) -> Diagnosis | None:
    triple = "triple-quoted" in facts.message
    if not (
        facts.message.startswith(
            ("unterminated string literal", "unterminated triple-quoted", "EOL while scanning")
        )
        or facts.message.startswith("EOF while scanning triple-quoted")
    ):
        return None
    text = facts.text
    start = (facts.column or 1) - 1
    quote = text[start : start + (3 if triple else 1)] if start < len(text) else '"'
    if quote[:1] not in "'\"":
        match = re.search(r"""(['"])""", text)
        quote = match.group(1) if match else '"'
    candidates: list[str | None] = []
    if triple:
        candidates.append(facts.code.text.rstrip("\n") + "\n" + quote * (3 // len(quote)) + "\n")
    else:
        code = text.rstrip()
        trailing = re.search(r"[)\]}:,]*$", code)
        cut = trailing.start() if trailing else len(code)
        candidates.append(
            edits.replace_line(facts.code.text, facts.line or 0, code[:cut] + quote + code[cut:])
        )
        candidates.append(edits.replace_line(facts.code.text, facts.line or 0, code + quote))
        opening = re.search(r"[(\[,=]\s*([A-Za-z_]\w*)" + re.escape(quote), code)
        if opening:  # the quote at the end is the closing one: the opening one is missing
            word_start = opening.start(1)
            candidates.append(
                edits.replace_line(
                    facts.code.text, facts.line or 0, code[:word_start] + quote + code[word_start:]
                )
            )
    fixed = _fixed_if_better(facts, candidates)
    fixed_line = _changed_line(facts.code.text, fixed)
    return Diagnosis(
        situation="syntax.unterminated_string",
        kind=_not_run(facts) + ": a piece of text (a string) is not closed.",
        pointer=(
            f"A string starts with {quote} but this line has no matching {quote} to end it, so Python reads "
            "the rest of the line as text. Find where the text should stop."
        ),
        fix="Close the string with the same quote it opened with"
        + (f": `{fixed_line}`" if fixed_line else ".")
        + " A string opened with a double quote must end with a double quote.",
        fixed_code=fixed,
        line=facts.line,
    )


def _changed_line(before: str, after: str | None) -> str | None:
    if after is None:
        return None
    changed = edits.changed_lines(before, after)
    return changed[0].strip() if changed else None


def _missing_comma(facts: SyntaxFacts) -> Diagnosis | None:
    if "forgot a comma" not in facts.message:
        return None
    text = facts.text
    start = (facts.column or 1) - 1
    candidates: list[str | None] = []
    for gap in re.finditer(r"(?<=[\w'\")\]}])\s+(?=[\w'\"(\[{])", text[start:]):
        position = start + gap.start()
        candidates.append(
            edits.replace_line(facts.code.text, facts.line or 0, text[:position] + "," + text[position:])
        )
    fixed = _fixed_if_better(facts, candidates)
    fixed_line = _changed_line(facts.code.text, fixed)
    return Diagnosis(
        situation="syntax.missing_comma",
        kind=_not_run(facts) + ", between two values.",
        pointer=(
            "Two values stand side by side with nothing between them. Inside brackets, the items of a "
            "list, a tuple or a call's arguments must be separated by commas (text is joined with `+`)."
        ),
        fix="Put a comma between the two values" + (f": `{fixed_line}`" if fixed_line else "."),
        fixed_code=fixed,
        line=facts.line,
    )


def _print_statement(facts: SyntaxFacts) -> Diagnosis | None:
    found = re.match(r"^(\s*)(print|exec)\s+(.*?)\s*$", facts.text)
    if not found or not (
        facts.message.startswith("Missing parentheses in call to")
        or facts.message.startswith("invalid syntax")
    ):
        return None
    fixed_line = f"{found.group(1)}{found.group(2)}({found.group(3)})"
    return Diagnosis(
        situation="syntax.print_without_parentheses",
        kind=_not_run(facts) + ": a function is used without its parentheses.",
        pointer=(
            f"In Python 3, `{found.group(2)}` is a function, and calling a function always needs parentheses "
            "around what you give it. (Without them is the Python 2 style.)"
        ),
        fix=f"Put what you want to print inside parentheses: `{fixed_line.strip()}`",
        fixed_code=_fixed_if_better(
            facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)]
        ),
        line=facts.line,
    )


def _outside_function_or_loop(facts: SyntaxFacts) -> Diagnosis | None:
    found = re.match(
        r"'(return|yield|break|continue|await)' (outside|not properly in) (function|loop)", facts.message
    )
    if not found:
        return None
    word, place = found.group(1), found.group(3)
    return Diagnosis(
        situation=f"syntax.{word}_outside_{place}",
        kind=_not_run(facts) + f": `{word}` is used outside a {place}.",
        pointer=(
            f"`{word}` only makes sense inside a {place}, but line {facts.line} is not inside one. "
            f"Usually the line lost its indentation, so Python thinks the {place} ended before it."
        ),
        fix=(
            f"Indent line {facts.line} so that it sits inside the {place} it belongs to (same indentation "
            "as the "
            f"{place}'s other lines), or remove `{word}` if it is not needed there."
        ),
        line=facts.line,
    )


def _invalid_character(facts: SyntaxFacts) -> Diagnosis | None:
    found = re.match(r"invalid (non-printable )?character '?(.)?'? ?\(?U\+([0-9A-F]+)\)?", facts.message)
    if not found:
        return None
    character = chr(int(found.group(3), 16))
    replacements = {
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
    replacement = replacements.get(character)
    candidates: list[str | None] = []
    if replacement is not None:
        cleaned = facts.code.text
        for fancy, plain in replacements.items():
            cleaned = cleaned.replace(fancy, plain)
        candidates.append(cleaned)
    fixed = _fixed_if_better(facts, candidates)
    name = "a curly quote" if character in "\u201c\u201d\u2018\u2019" else f"the character U+{found.group(3)}"
    return Diagnosis(
        situation="syntax.invalid_character",
        kind=_not_run(facts) + ": it holds a character Python does not accept in code.",
        pointer=(
            f"Line {facts.line} contains {name}, which often comes from copying code out of a word "
            "processor, "
            "a web page or a chat. Python only accepts plain quotes `\"` `'`, plain spaces and plain "
            "symbols in code."
        ),
        fix=(
            f"Retype it on your keyboard: use `{replacement}` instead of `{character}`"
            if replacement
            else "Delete the character and retype that part of the line on your keyboard."
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def _invalid_number(facts: SyntaxFacts) -> Diagnosis | None:
    if not facts.message.startswith(("invalid decimal literal", "invalid syntax")):
        return None
    found = re.search(r"(?<![\w.])(\d+)([A-Za-z_]\w*)", facts.text)
    if not found:
        return None
    number, name = found.group(1), found.group(2)
    assigns = re.match(rf"^\s*{re.escape(found.group(0))}\s*=[^=]", facts.text)
    if assigns:
        return Diagnosis(
            situation="syntax.name_starts_with_digit",
            kind=_not_run(facts) + ", at the variable's name.",
            pointer=f"`{found.group(0)}` starts with a digit, and a name in Python cannot start with a "
            "digit.",
            fix=f"Rename it so it starts with a letter, for example `{name}_{number}`, everywhere you use "
            "it.",
            line=facts.line,
        )
    start = found.start()
    fixed_line = facts.text[: start + len(number)] + " * " + facts.text[start + len(number) :]
    return Diagnosis(
        situation="syntax.missing_operator",
        kind=_not_run(facts) + ", where a number touches a name.",
        pointer=(
            f"`{found.group(0)}` is read as a (broken) number. In maths `2x` means 2 times x, but Python "
            "needs every operator written out."
        ),
        fix=f"Write the multiplication explicitly: `{fixed_line.strip()}`",
        fixed_code=_fixed_if_better(
            facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)]
        ),
        line=facts.line,
    )


def _reversed_comparison(facts: SyntaxFacts) -> Diagnosis | None:
    found = re.search(r"=>|=<|<>|=!", facts.text)
    if not found or not facts.message.startswith("invalid syntax"):
        return None
    right = {"=>": ">=", "=<": "<=", "<>": "!=", "=!": "!="}[found.group(0)]
    fixed_line = facts.text.replace(found.group(0), right, 1)
    return Diagnosis(
        situation="syntax.comparison_operator",
        kind=_not_run(facts) + ", at a comparison.",
        pointer=f"`{found.group(0)}` is not a Python operator. In comparison operators the `=` always "
        "comes last.",
        fix=f"Write `{right}`: `{fixed_line.strip()}`",
        fixed_code=_fixed_if_better(
            facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)]
        ),
        line=facts.line,
    )


def _import_from(facts: SyntaxFacts) -> Diagnosis | None:
    found = re.match(r"^(\s*)import\s+(.+?)\s+from\s+([\w.]+)\s*$", facts.text)
    if not found:
        return None
    fixed_line = f"{found.group(1)}from {found.group(3)} import {found.group(2)}"
    return Diagnosis(
        situation="syntax.import_order",
        kind=_not_run(facts) + ": the import is written in the wrong order.",
        pointer="To import one name out of a module, Python's sentence starts with the module, not the name.",
        fix=f"Write `{fixed_line.strip()}`",
        fixed_code=_fixed_if_better(
            facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)]
        ),
        line=facts.line,
    )


def _for_without_in(facts: SyntaxFacts) -> Diagnosis | None:
    found = re.match(r"^(\s*)for\s+([\w, ]+?)\s+(range|enumerate|zip|\w+)\b(.*)$", facts.text)
    if not found or " in " in facts.text or not facts.message.startswith("invalid syntax"):
        return None
    fixed_line = f"{found.group(1)}for {found.group(2)} in {found.group(3)}{found.group(4)}"
    return Diagnosis(
        situation="syntax.for_without_in",
        kind=_not_run(facts) + ": the `for` loop is missing a word.",
        pointer="A `for` loop reads `for <name> in <things>:` and the word between the name and the things "
        "is missing.",
        fix=f"Add `in`: `{fixed_line.strip()}`",
        fixed_code=_fixed_if_better(
            facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)]
        ),
        line=facts.line,
    )


def _missing_parentheses(facts: SyntaxFacts) -> Diagnosis | None:
    found = re.match(r"^(\s*)(def|class)\s+(\w+)\s*:", facts.text)
    if (
        not found
        or not facts.message.startswith(("expected '('", "invalid syntax"))
        or found.group(2) == "class"
    ):
        return None
    fixed_line = facts.text.replace(f"{found.group(3)}", f"{found.group(3)}()", 1).replace("() :", "():")
    return Diagnosis(
        situation="syntax.def_without_parentheses",
        kind=_not_run(facts) + ", right after the function's name.",
        pointer=(
            f"A function definition always has parentheses after its name, even when `{found.group(3)}` "
            "takes no "
            "parameters: they hold the list of parameters."
        ),
        fix=f"Add empty parentheses: `{fixed_line.strip()}`",
        fixed_code=_fixed_if_better(
            facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)]
        ),
        line=facts.line,
    )


def _values_side_by_side(facts: SyntaxFacts) -> Diagnosis | None:
    code, _ = _code_part(facts.text)
    found = re.search(r"""([\w'")\]]+)\s+(['"][^'"]*['"])\s+([\w'"(\[]+)|(['"][^'"]*['"])\s+(\w+)""", code)
    if (
        not found
        or not facts.message.startswith("invalid syntax")
        or re.match(r"^\s*(if|elif|while|for|def|class|return|import|from)\b", code)
    ):
        return None
    return Diagnosis(
        situation="syntax.missing_operator_between_values",
        kind=_not_run(facts) + ": two values stand next to each other.",
        pointer=(
            f"On line {facts.line}, a piece of text and a name are written side by side with no operator "
            "between "
            "them. Python does not join values by itself."
        ),
        fix='Join texts with `+` (`first + " " + last`), or build the text with an f-string: `f"{first} '
        '{last}"`.',
        line=facts.line,
    )


def _argument_order(facts: SyntaxFacts) -> Diagnosis | None:
    if not facts.message.startswith("positional argument follows keyword argument"):
        return None
    return Diagnosis(
        situation="syntax.argument_order",
        kind=_not_run(facts) + ", in the arguments of a call.",
        pointer=(
            "An argument without a name comes after one given as `name=value`. Python matches unnamed "
            "arguments by position, so they must all come first."
        ),
        fix="Move the unnamed arguments before the named ones, or give the later one a name too.",
        line=facts.line,
    )


def _expected_indent(facts: SyntaxFacts) -> Diagnosis | None:
    found = re.match(r"expected an indented block(?: after (.+?) on line (\d+))?", facts.message)
    if not found:
        return None
    header_line = int(found.group(2)) if found.group(2) else _previous_code_line(facts.code, facts.line or 0)
    header = facts.code.line(header_line)
    inner = indentation_of(header) + "    "
    candidates: list[str | None] = []
    if facts.line is not None and facts.line <= len(facts.code.lines):
        candidates.append(edits.replace_line(facts.code.text, facts.line, inner + facts.text.lstrip()))
        candidates.append(_indent_block(facts.code, facts.line, inner))
    else:
        candidates.append(facts.code.text.rstrip("\n") + "\n" + inner + "pass\n")
    fixed = _fixed_if_better(facts, candidates)
    return Diagnosis(
        situation="indentation.expected_block",
        kind=(
            f"This is {article(facts.error_type)} {facts.error_type}: Python could not read your program, "
            "so none of it ran. "
            f"Look at the line after line {header_line} (`{header.strip()}`)."
        ),
        pointer=(
            f"Line {header_line} ends with a colon, which announces a block, but the next line is not "
            "indented, so the block is empty. Python uses indentation to know which lines belong to it."
        ),
        fix=(
            f"Indent the lines that belong to `{header.strip()}` by 4 spaces more than it"
            + (f", starting with line {facts.line}." if facts.line else ".")
            + " If the block should do nothing yet, write `pass` in it."
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def _previous_code_line(code: SourceCode, line: int) -> int:
    for number in range(line - 1, 0, -1):
        if code.line(number).strip() and not code.line(number).strip().startswith("#"):
            return number
    return max(line - 1, 1)


def _indent_block(code: SourceCode, start: int, inner: str) -> str:
    """Indents the lines from `start` that are at the outer level, up to the first blank line."""
    text = code.text
    base = indentation_of(code.line(start))
    for number in range(start, len(code.lines) + 1):
        line = code.line(number)
        if not line.strip() or indentation_of(line) != base:
            break
        text = edits.replace_line(text, number, inner + line.lstrip())
    return text


def _unexpected_indent(facts: SyntaxFacts) -> Diagnosis | None:
    if not facts.message.startswith("unexpected indent"):
        return None
    previous = facts.code.line(_previous_code_line(facts.code, facts.line or 0))
    fixed_line = indentation_of(previous) + facts.text.lstrip()
    return Diagnosis(
        situation="indentation.unexpected_indent",
        kind=(
            f"This is {article(facts.error_type)} {facts.error_type}: Python could not read your program, "
            "so none of it ran. "
            f"Look at the spaces at the start of line {facts.line}."
        ),
        pointer=(
            f"Line {facts.line} (`{facts.shown}`) is indented more than the line before it, but the line "
            "before "
            "does not open a block (it does not end with a colon). Lines of the same block must start at "
            "the same column."
        ),
        fix=f"Remove the extra spaces so that line {facts.line} lines up with the line above it.",
        fixed_code=_fixed_if_better(
            facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)]
        ),
        line=facts.line,
    )


def _unindent_mismatch(facts: SyntaxFacts) -> Diagnosis | None:
    if not facts.message.startswith("unindent does not match"):
        return None
    width = len(indentation_of(facts.text).expandtabs(8))
    levels = sorted(
        {
            len(indentation_of(line).expandtabs(8))
            for line in facts.code.lines[: (facts.line or 1) - 1]
            if line.strip() and not line.strip().startswith("#")
        }
    )
    candidates = [
        edits.replace_line(facts.code.text, facts.line or 0, " " * level + facts.text.lstrip())
        for level in sorted(levels, key=lambda level: abs(level - width))
    ]
    return Diagnosis(
        situation="indentation.unindent_mismatch",
        kind=(
            f"This is {article(facts.error_type)} {facts.error_type}: Python could not read your program, "
            "so none of it ran. "
            f"Look at the spaces at the start of line {facts.line}."
        ),
        pointer=(
            f"Line {facts.line} is indented by {width} spaces, which matches none of the blocks above it "
            f"(they use {', '.join(str(level) for level in levels) or 'no'} spaces). When a block ends, the "
            "next "
            "line must line up exactly with an earlier one."
        ),
        fix=f"Line up line {facts.line} with the block it belongs to, using the same number of spaces.",
        fixed_code=_fixed_if_better(facts, candidates),
        line=facts.line,
    )


def _tabs(facts: SyntaxFacts) -> Diagnosis | None:
    if facts.error_type != "TabError" and "inconsistent use of tabs" not in facts.message:
        return None
    candidates = [
        "\n".join(
            indentation_of(line).expandtabs(size) + line.lstrip() for line in facts.code.text.split("\n")
        )
        for size in (4, 8)
    ]
    return Diagnosis(
        situation="indentation.tabs_and_spaces",
        kind=(
            f"This is {article(facts.error_type)} {facts.error_type}: Python could not read your program, "
            "so none of it ran. "
            f"Look at the start of line {facts.line}."
        ),
        pointer=(
            f"Line {facts.line} is indented with a tab while the lines around it use spaces (or the other "
            "way "
            "round). They may look the same in your editor, but Python cannot tell how wide a tab is meant "
            "to be."
        ),
        fix="Indent with spaces only: 4 spaces per level. Most editors can convert tabs to spaces for you.",
        fixed_code=_fixed_if_better(facts, list(candidates)),
        line=facts.line,
    )


def _generic(facts: SyntaxFacts) -> Diagnosis:
    column = f", around column {facts.column}" if facts.column else ""
    previous = _previous_code_line(facts.code, facts.line or 0) if facts.line else None
    return Diagnosis(
        situation="syntax.other",
        kind=_not_run(facts) + f"{column}.",
        pointer=(
            f"Python stopped understanding the line at the place it marks ({facts.message}). Often the real "
            "mistake is just before that point, or at the end of the line above"
            + (f" (line {previous})" if previous and previous != facts.line else "")
            + ": a missing bracket, quote, colon or operator."
        ),
        fix=(
            "Compare the line with a working example of the same kind of statement, symbol by symbol; "
            "check that every bracket and quote is closed and every operator is written out."
        ),
        line=facts.line,
    )


_SITUATIONS: tuple[Callable[[SyntaxFacts], Diagnosis | None], ...] = (
    _tabs,
    _expected_indent,
    _unexpected_indent,
    _unindent_mismatch,
    _invalid_character,
    _unterminated_string,
    _print_statement,
    _mismatched_bracket,
    _unclosed_bracket,
    _assignment_in_condition,
    _invalid_assignment_target,
    _keyword_as_name,
    _import_from,
    _reversed_comparison,
    _missing_colon,
    _missing_comma,
    _missing_parentheses,
    _for_without_in,
    _argument_order,
    _outside_function_or_loop,
    _invalid_number,
    _values_side_by_side,
)
