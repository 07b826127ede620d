"""The code inside a text an LLM wrote: fenced blocks, inline backticks and lines that read as Python."""

import ast
import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

_FENCE = re.compile(r"```[ \t]*[\w+-]*[ \t]*\n(.*?)(?:```|\Z)", re.S)
_INLINE = re.compile(r"`([^`\n]+)`")
#: tokens that carry no code of their own
_LAYOUT = frozenset(
    {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER, tokenize.COMMENT}
)
#: how a line that opens or continues a block is made parseable on its own
_WRAPPERS = (
    "{line}",
    "{line}\n    pass",
    "if 1:\n    pass\n{line}\n    pass",
    "try:\n    pass\n{line}\n    pass",
)


@dataclass(frozen=True)
class Token:
    kind: int
    text: str

    @property
    def is_name(self) -> bool:
        """An identifier or a keyword."""
        return self.kind == tokenize.NAME


def fenced_blocks(text: str) -> list[str]:
    return [block for block in _FENCE.findall(text) if block.strip()]


def replace_fenced_blocks(text: str, replacement: Callable[[str], str | None]) -> str:
    """`text` with each fenced block for which `replacement(code)` is not None replaced by it."""

    def replaced(match: re.Match[str]) -> str:
        instead = replacement(match.group(1))
        return match.group(0) if instead is None else instead

    return _FENCE.sub(replaced, text)


def prose_of(text: str) -> str:
    """The text without its fenced blocks."""
    return _FENCE.sub(" ", text)


def code_snippets(text: str) -> list[str]:
    """Every piece of code in `text`: fenced blocks, then inline spans, then lines that parse as code."""
    snippets = fenced_blocks(text)
    prose = prose_of(text)
    snippets += [span.strip() for span in _INLINE.findall(prose) if span.strip()]
    snippets += [line.strip() for line in _INLINE.sub(" ", prose).splitlines() if looks_like_code(line)]
    return snippets


def tokens(code: str) -> list[Token]:
    """Python's tokens of `code`, layout and comments left out; a fragment gives those before it breaks."""
    found: list[Token] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(code.strip() + "\n").readline):
            if token.type not in _LAYOUT:
                found.append(Token(token.type, token.string))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return found


def parsed_fragment(code: str) -> list[ast.stmt]:
    """The statements of `code`, also of one line of a block (`if x == 5:`, `else:`); [] when unreadable."""
    text = code.strip()
    if not text:
        return []
    for wrapper in _WRAPPERS:
        try:
            module = ast.parse(wrapper.format(line=text))
        except (SyntaxError, ValueError):
            continue
        return module.body
    return []


def looks_like_code(line: str) -> bool:
    """A line of prose that is in fact Python: it parses, and it is more than a word or a number."""
    text = line.strip().rstrip(".")
    if not text or not re.search(r"[=()\[\]:]", text):
        return False
    statements = parsed_fragment(text)
    return bool(statements) and not all(
        isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Name | ast.Constant)
        for statement in statements
    )
