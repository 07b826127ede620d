"""Code compared for what it does, not how it is written: docstrings, comments, annotations and
formatting dropped, and every name the code binds renamed in order of appearance."""

import ast
import copy

_SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def normalized(tree: ast.AST) -> str:
    """`tree` as one comparable text; two programs that differ only in their own names compare equal."""
    work = copy.deepcopy(tree)
    renamer = _Canonical(_bound_names(work))
    return ast.dump(renamer.visit(_without_docstrings(work)), annotate_fields=False, include_attributes=False)


def normalized_source(code: str) -> str | None:
    try:
        return normalized(ast.parse(code))
    except (SyntaxError, ValueError):
        return None


def _bound_names(tree: ast.AST) -> set[str]:
    """The names the code itself gives a value to: variables, arguments, its functions and classes."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.ExceptHandler):
            bound.add(node.name or "")
    return bound


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, _SCOPES) and node.body and _is_docstring(node.body[0]):
            node.body = node.body[1:] or [ast.Pass()]
    return tree


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


class _Canonical(ast.NodeTransformer):
    def __init__(self, bound: set[str]) -> None:
        self._bound = bound
        self._names: dict[str, str] = {}

    def _renamed(self, name: str) -> str:
        if name not in self._bound:
            return name  # a builtin, a module, a global from elsewhere: part of what the code means
        return self._names.setdefault(name, f"_{len(self._names)}")

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self._renamed(node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self._renamed(node.arg)
        node.annotation = None
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.name = self._renamed(node.name)
        node.returns = None
        self.generic_visit(node)
        return node

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AsyncFunctionDef:
        node.name = self._renamed(node.name)
        node.returns = None
        self.generic_visit(node)
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.ClassDef:
        node.name = self._renamed(node.name)
        self.generic_visit(node)
        return node

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> ast.ExceptHandler:
        if node.name:
            node.name = self._renamed(node.name)
        self.generic_visit(node)
        return node

    def visit_Global(self, node: ast.Global) -> ast.Global:
        node.names = [self._renamed(name) for name in node.names]
        return node

    def visit_Nonlocal(self, node: ast.Nonlocal) -> ast.Nonlocal:
        node.names = [self._renamed(name) for name in node.names]
        return node
