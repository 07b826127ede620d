"""Reading the student's code: its syntax tree, the names it defines, and where things are."""

import ast
import builtins
import difflib
import keyword
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))


@dataclass(frozen=True)
class SourceCode:
    """The student's program with its tree (None when it does not parse)."""

    text: str
    tree: ast.Module | None

    @classmethod
    def of(cls, text: str) -> "SourceCode":
        return cls(text, parse_or_none(text))

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def line(self, number: int | None) -> str:
        if number is None or not 1 <= number <= len(self.lines):
            return ""
        return self.lines[number - 1]

    def nodes(self) -> Iterator[ast.AST]:
        return ast.walk(self.tree) if self.tree is not None else iter(())

    def nodes_on_line[N: ast.AST](self, number: int | None, kind: type[N]) -> list[N]:
        return [
            node
            for node in self.nodes()
            if isinstance(node, kind) and getattr(node, "lineno", None) is not None and node.lineno == number  # type: ignore[attr-defined]
        ]

    def function_at(self, number: int | None) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The innermost function whose body holds the line."""
        found = None
        for node in self.nodes():
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and number is not None:
                end = node.end_lineno or node.lineno
                if node.lineno <= number <= end and (found is None or node.lineno > found.lineno):
                    found = node
        return found

    def defined_names(self) -> set[str]:
        return defined_names(self.tree) if self.tree is not None else set()

    def names_in_scope(self, number: int | None) -> set[str]:
        """Names visible at a line: the module's, the enclosing functions', and the builtins."""
        names = set(BUILTIN_NAMES)
        if self.tree is None:
            return names
        names |= _module_level_names(self.tree)
        for node in self.nodes():
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) and number is not None:
                end = getattr(node, "end_lineno", None) or node.lineno
                if node.lineno <= number <= end:
                    names |= defined_names(node)
        for node in self.nodes():  # class bodies' methods are reached through self, not by name
            if isinstance(node, ast.ClassDef):
                names.add(node.name)
        return names


def parse_or_none(text: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def defined_names(tree: ast.AST) -> set[str]:
    """Every name the code binds: assignments, parameters, loops, imports, definitions."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            names.update(node.names)
    return names


def _module_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        else:
            names |= defined_names(statement) - _nested_function_names(statement)
    return names


def _nested_function_names(statement: ast.stmt) -> set[str]:
    inner: set[str] = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            inner |= defined_names(node)
    return inner


def close_matches(word: str, candidates: set[str] | list[str], *, limit: int = 3) -> list[str]:
    """Candidates spelled like `word`: same letters in another case first, then difflib's ratio."""
    pool = sorted({candidate for candidate in candidates if candidate != word})
    same_case = [candidate for candidate in pool if candidate.lower() == word.lower()]
    close = difflib.get_close_matches(word, pool, n=limit + 2, cutoff=0.72)
    if len(word) <= 3:
        close = [candidate for candidate in close if abs(len(candidate) - len(word)) <= 1]
    ordered = [*same_case, *(candidate for candidate in close if candidate not in same_case)]
    return ordered[:limit]


def is_identifier(text: str) -> bool:
    return text.isidentifier() and not keyword.iskeyword(text)


def expression_text(code: SourceCode, node: ast.AST) -> str:
    segment = ast.get_source_segment(code.text, node)
    return segment if segment is not None else ast.unparse(node)


def indentation_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def article(word: str) -> str:
    """ "a" or "an" before a word (an error type, mostly): "an IndexError", "a TypeError"."""
    return "an" if word[:1].upper() in "AEIOU" else "a"
