"""The first layer: refuses a program that names something the sandbox forbids, with its line.

It is a courtesy, not a wall: code can always hide a name from a syntax check, which is why the
layers behind it (audit hook, seccomp, rlimits, namespaces) do not trust it.
"""

import ast
from dataclasses import dataclass

from sandbox_image.runner.policy import (
    ALLOWED_MODULES,
    FORBIDDEN_ATTRIBUTES,
    FORBIDDEN_BUILTINS,
    module_reason,
)


@dataclass(frozen=True)
class Finding:
    line: int
    message: str


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    message: str
    text: str


def _import_finding(node: ast.Import | ast.ImportFrom) -> Finding | None:
    if isinstance(node, ast.ImportFrom):
        if node.level:
            return Finding(node.lineno, f"Line {node.lineno}: relative imports are not available here.")
        names = [node.module or ""]
    else:
        names = [alias.name for alias in node.names]
    for name in names:
        top = name.partition(".")[0]
        if top not in ALLOWED_MODULES:
            return Finding(
                node.lineno,
                f"Line {node.lineno}: importing {name} is not allowed in the sandbox ({module_reason(top)}).",
            )
    return None


def _finding(node: ast.AST) -> Finding | None:
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.Import | ast.ImportFrom):
        return _import_finding(node)
    if isinstance(node, ast.Name) and node.id in FORBIDDEN_BUILTINS:
        return Finding(line, f"Line {line}: {node.id} is not allowed in the sandbox.")
    if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
        return Finding(line, f"Line {line}: the attribute .{node.attr} is not allowed in the sandbox.")
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in FORBIDDEN_ATTRIBUTES
        and node.value.startswith("__")
    ):
        return Finding(line, f"Line {line}: the name {node.value!r} is not allowed in the sandbox.")
    return None


def check(source: str, filename: str = "main.py") -> Finding | SyntaxProblem | None:
    """The first forbidden thing in `source` (in line order), a syntax problem, or None when it may run."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as error:
        line = error.lineno or 0
        return SyntaxProblem(line, error.msg, (error.text or "").rstrip("\n"))
    except (ValueError, RecursionError, MemoryError) as error:
        return SyntaxProblem(0, f"the program cannot be parsed ({type(error).__name__})", "")
    findings = [finding for node in ast.walk(tree) if (finding := _finding(node)) is not None]
    return min(findings, key=lambda finding: finding.line) if findings else None
