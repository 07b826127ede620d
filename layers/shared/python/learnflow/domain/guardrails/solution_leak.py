"""No answer hands over the solution of the exercise a student has open.

A piece of code in an answer is the solution when
- its normalized syntax tree (`normalized_ast`) equals the solution module's, or one of its
  functions or classes equals one of the solution's entry points (what the tests import); or
- it defines every entry point and passes the exercise's own tests in the sandbox. A candidate
  that cannot be graded now (no sandbox, or it is unavailable) counts as the solution: it
  defines everything the student must write, and nothing showed it wrong.
"""

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from learnflow.domain.errors import SandboxUnavailableError
from learnflow.domain.guardrails.normalized_ast import normalized, normalized_source
from learnflow.domain.models import ExerciseInProgress
from learnflow.domain.ports import Sandbox

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class OpenExercise:
    """What the guard needs of the exercise a student is working on."""

    module_name: str
    solution: str
    test_code: str

    @classmethod
    def of(cls, exercise: ExerciseInProgress) -> "OpenExercise":
        return cls(exercise.module_name, exercise.solution, exercise.test_code)

    @cached_property
    def entry_points(self) -> frozenset[str]:
        """The names the tests import from the student's module; else the solution's public definitions."""
        imported = _imported_names(self.test_code, self.module_name)
        return imported or frozenset(
            name for name in _defined_names(self.solution) if not name.startswith("_")
        )

    @cached_property
    def solution_shapes(self) -> frozenset[str]:
        tree = ast.parse(self.solution)
        shapes = {normalized(tree)}
        shapes |= {
            normalized(ast.Module(body=[node], type_ignores=[]))
            for node in tree.body
            if isinstance(node, _DEFINITIONS) and node.name in self.entry_points
        }
        return frozenset(shapes)


@dataclass(frozen=True)
class SolutionLeak:
    code: str
    found_by: Literal["ast", "tests", "ungraded"]


def same_as_solution(code: str, exercise: OpenExercise) -> bool:
    """Whether `code`, or one of its definitions, is the solution written differently (pure)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    candidates = {normalized_source(code)} | {
        normalized(ast.Module(body=[node], type_ignores=[]))
        for node in tree.body
        if isinstance(node, _DEFINITIONS)
    }
    return not candidates.isdisjoint(exercise.solution_shapes)


def defines_entry_points(code: str, exercise: OpenExercise) -> bool:
    return bool(exercise.entry_points) and exercise.entry_points <= _defined_names(code)


def solution_leak(
    blocks: Sequence[str], exercise: OpenExercise, sandbox: Sandbox | None
) -> SolutionLeak | None:
    """The first block of code that hands over the solution: by comparison first, then by its tests."""
    if not blocks:
        return None
    for block in blocks:
        if same_as_solution(block, exercise):
            return SolutionLeak(block, "ast")
    for block in blocks:
        if not defines_entry_points(block, exercise):
            continue
        if sandbox is None:
            return SolutionLeak(block, "ungraded")
        try:
            graded = sandbox.grade(exercise.module_name, block, exercise.test_code)
        except SandboxUnavailableError:
            return SolutionLeak(block, "ungraded")
        if graded.passed:
            return SolutionLeak(block, "tests")
    return None


def _defined_names(code: str) -> frozenset[str]:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return frozenset()
    names = {node.name for node in tree.body if isinstance(node, _DEFINITIONS)}
    names |= {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    return frozenset(names)


def _imported_names(test_code: str, module_name: str) -> frozenset[str]:
    try:
        tree = ast.parse(test_code)
    except (SyntaxError, ValueError):
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == module_name:
            names |= {alias.name for alias in node.names if alias.name != "*"}
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == module_name
        ):
            names.add(node.attr)
    return frozenset(names)
