"""Grading inside a run: the teacher's tests (trusted) against the student's module (not trusted).

Tests are found in the test file's own order: unittest TestCase methods and pytest-style
`test_*` functions and `Test*` classes. Each result is sent to the zygote as soon as it is
known, so a run killed half-way still reports the tests that finished.
"""

import ast
import io
import linecache
import sys
import types
import unittest
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox_image.runner import pytest_shim, static_check
from sandbox_image.runner.execution import (
    Channel,
    ChildSetup,
    lock_down,
    refusal,
    register_source,
    reporting_guard,
    run_guarded,
    student_traceback,
)
from sandbox_image.runner.guard import SandboxViolationError, student_builtins


@dataclass(frozen=True)
class TestRef:
    class_name: str | None
    function_name: str

    @property
    def name(self) -> str:
        return f"{self.class_name}.{self.function_name}" if self.class_name else self.function_name


def collect(test_code: str) -> list[TestRef]:
    """Test names in file order, read from the source (so they are known even if the module fails)."""
    refs: list[TestRef] = []
    for node in ast.parse(test_code).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            refs.append(TestRef(None, node.name))
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"):
                    refs.append(TestRef(node.name, item.name))
    return refs


class CappedText(io.TextIOBase):
    """A stream that keeps the first `limit` characters of what a test prints."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._parts: list[str] = []
        self._size = 0
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        room = self._limit - self._size
        if len(text) > room:
            self.truncated = True
        if room > 0:
            self._parts.append(text[:room])
            self._size += min(room, len(text))
        return len(text)

    def getvalue(self) -> str:
        return "".join(self._parts)


def _last_line(formatted: str) -> str:
    lines = [line for line in formatted.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "failed"


def _failure_message(error: BaseException, filenames: tuple[str, ...]) -> str:
    text, line = student_traceback(error, filenames)
    message = _last_line(text)
    if isinstance(error, AssertionError) and not str(error) and line is not None:
        source = (
            linecache.getline(filenames[-1], line).strip() or linecache.getline(filenames[0], line).strip()
        )
        message = f"AssertionError: {source}" if source else message
    return message[:1000]


def _run_unittest(case_class: type[unittest.TestCase], method: str) -> tuple[str, str]:
    result = unittest.TestResult()
    case_class(method).run(result)
    if result.errors:
        return "error", _last_line(result.errors[0][1])
    if result.failures:
        return "fail", _last_line(result.failures[0][1])
    if result.skipped:
        return "fail", f"The test was skipped: {result.skipped[0][1]}"
    if result.unexpectedSuccesses:
        return "fail", "The test was expected to fail but passed."
    return "pass", ""


def _run_function(function: Callable[..., Any], filenames: tuple[str, ...]) -> tuple[str, str]:
    try:
        for arguments in pytest_shim.parameter_sets(function):
            function(**arguments)
    except AssertionError as failed:
        return "fail", _failure_message(failed, filenames)
    except pytest_shim.SkippedError as skipped:
        return "fail", f"The test was skipped: {skipped}"
    except Exception as error:
        return "error", _failure_message(error, filenames)
    return "pass", ""


class _Runner:
    def __init__(self, module: types.ModuleType, filenames: tuple[str, ...], output_limit: int) -> None:
        self.module = module
        self.filenames = filenames
        self.output_limit = output_limit
        self._class_ready: dict[str, str | None] = {}

    def _class_problem(self, class_name: str) -> str | None:
        if class_name not in self._class_ready:
            problem = None
            case_class = getattr(self.module, class_name, None)
            if isinstance(case_class, type) and issubclass(case_class, unittest.TestCase):
                try:
                    case_class.setUpClass()
                except Exception as error:
                    problem = _failure_message(error, self.filenames)
            self._class_ready[class_name] = problem
        return self._class_ready[class_name]

    def run_one(self, ref: TestRef) -> tuple[str, str]:
        if ref.class_name is None:
            return self._run_module_function(ref.function_name)
        problem = self._class_problem(ref.class_name)
        if problem is not None:
            return "error", problem
        return self._run_method(ref.class_name, ref.function_name)

    def _run_module_function(self, name: str) -> tuple[str, str]:
        function = getattr(self.module, name, None)
        if not callable(function):
            return "error", f"{name} is not defined in the test module."
        return _run_function(function, self.filenames)

    def _run_method(self, class_name: str, name: str) -> tuple[str, str]:
        """A unittest TestCase's method, or a pytest-style class's on a fresh instance."""
        owner = getattr(self.module, class_name, None)
        if isinstance(owner, type) and issubclass(owner, unittest.TestCase):
            return _run_unittest(owner, name)
        if not isinstance(owner, type):
            return "error", f"{class_name} is not defined in the test module."
        try:
            instance = owner()
        except Exception as error:
            return "error", _failure_message(error, self.filenames)
        return _run_function(getattr(instance, name), self.filenames)

    def captured(self, ref: TestRef) -> tuple[str, str, str]:
        stream = CappedText(self.output_limit)
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = stream
        try:
            status, message = self.run_one(ref)
        except MemoryError:
            status, message = "error", "The code used more memory than the sandbox allows."
        except SandboxViolationError as refused:
            status, message = "error", str(refused)
        finally:
            sys.stdout, sys.stderr = saved
        output = stream.getvalue() + ("\n[output truncated]" if stream.truncated else "")
        return status, message, output


def grade(setup: ChildSetup, channel: Channel) -> int:
    """Grades the request's module against its tests; the exit code, once every result has gone out."""
    request = setup.request
    module_name = str(request["module_name"])
    student_code, test_code = str(request["student_code"]), str(request["test_code"])
    student_file, test_file = f"{module_name}.py", f"{module_name}_test.py"
    refs = collect(test_code)
    channel.send(event="collected", tests=[ref.name for ref in refs])
    finding = static_check.check(student_code, student_file)
    if finding is not None:
        channel.send(event="done", **refusal(finding))
        return 1
    compiled_student = compile(student_code, student_file, "exec")
    compiled_tests = compile(test_code, test_file, "exec")
    register_source(student_file, student_code)
    register_source(test_file, test_code)
    guard = reporting_guard(setup, channel, extra_modules=(module_name,))
    student = types.ModuleType(module_name)
    student.__dict__["__builtins__"] = student_builtins(guard, student_file)
    student.__file__ = student_file
    tests = types.ModuleType(f"{module_name}_test")
    tests.__file__ = test_file
    sys.modules[module_name] = student
    sys.modules["pytest"] = pytest_shim.module()
    filenames = (student_file, test_file)
    lock_down(setup, guard)

    outcome, exit_code, details = run_guarded(
        lambda: exec(compiled_student, student.__dict__),  # noqa: S102 - the student's module, sandboxed
        filenames,
    )
    if outcome != "ok":
        channel.send(event="done", outcome=outcome, exit_code=exit_code, error=details, stage="import")
        return exit_code or 1
    outcome, exit_code, details = run_guarded(
        lambda: exec(compiled_tests, tests.__dict__),  # noqa: S102 - the teacher's tests, trusted
        filenames,
    )
    if outcome != "ok":
        channel.send(event="done", outcome=outcome, exit_code=exit_code, error=details, stage="tests")
        return exit_code or 1
    runner = _Runner(tests, filenames, setup.limits.test_output_bytes)
    for ref in refs:
        status, message, output = runner.captured(ref)
        channel.send(event="test", name=ref.name, status=status, message=message, output=output)
    channel.send(event="done", outcome="ok", exit_code=0, error=None)
    return 0
