"""The part of pytest that exercise tests use (`raises`, `approx`, `mark.parametrize`, `skip`, `fail`).

The sandbox has no third-party packages; pytest-style tests get this small stand-in as `pytest`.
"""

import itertools
import math
import re
import types
from collections.abc import Callable, Iterator
from typing import Any


class SkippedError(Exception):
    """pytest.skip() was called."""


class _FailedError(AssertionError):
    """pytest.fail() was called."""


class _Raises:
    def __init__(self, expected: type[BaseException] | tuple[type[BaseException], ...], match: str | None):
        self.expected = expected
        self.match = match
        self.value: BaseException | None = None

    def __enter__(self) -> "_Raises":
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, _tb: object) -> bool:
        if kind is None:
            raise _FailedError(f"DID NOT RAISE {self.expected}")
        if not issubclass(kind, self.expected):
            return False
        if self.match is not None and not re.search(self.match, str(value)):
            raise _FailedError(f"Regex pattern {self.match!r} does not match {str(value)!r}.")
        self.value = value
        return True


def raises(
    expected: type[BaseException] | tuple[type[BaseException], ...], *, match: str | None = None
) -> _Raises:
    return _Raises(expected, match)


class _Approx:
    def __init__(self, expected: float, rel: float | None, abs_: float | None) -> None:
        self.expected, self.rel, self.abs = expected, rel, abs_

    def __eq__(self, actual: object) -> bool:
        if not isinstance(actual, int | float):
            return NotImplemented
        rel = 1e-6 if self.rel is None else self.rel
        return math.isclose(actual, self.expected, rel_tol=rel, abs_tol=self.abs or 1e-12)

    def __hash__(self) -> int:
        return hash(self.expected)

    def __repr__(self) -> str:
        return f"approx({self.expected!r})"


def approx(expected: float, rel: float | None = None, abs: float | None = None) -> _Approx:
    return _Approx(expected, rel, abs)


def fail(reason: str = "") -> None:
    raise _FailedError(reason)


def skip(reason: str = "") -> None:
    raise SkippedError(reason)


def _parametrize(names: str | list[str] | tuple[str, ...], values: list[Any], **_: Any) -> Callable[..., Any]:
    keys = [name.strip() for name in names.split(",")] if isinstance(names, str) else list(names)

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        sets = [dict(zip(keys, value if len(keys) > 1 else (value,), strict=True)) for value in values]
        existing: list[list[dict[str, Any]]] = getattr(function, "_sandbox_parameters", [])
        function._sandbox_parameters = [*existing, sets]  # type: ignore[attr-defined]
        return function

    return decorate


class _Mark:
    parametrize = staticmethod(_parametrize)

    def __getattr__(self, _name: str) -> Callable[..., Any]:
        def marker(*args: Any, **_kwargs: Any) -> Any:
            if len(args) == 1 and callable(args[0]):
                return args[0]
            return lambda function: function

        return marker


def parameter_sets(function: Callable[..., Any]) -> Iterator[dict[str, Any]]:
    layers: list[list[dict[str, Any]]] = getattr(function, "_sandbox_parameters", [])
    if not layers:
        yield {}
        return
    for combination in itertools.product(*layers):
        merged: dict[str, Any] = {}
        for part in combination:
            merged |= part
        yield merged


def _fixture(*args: Any, **_kwargs: Any) -> Any:
    if len(args) == 1 and callable(args[0]):
        return args[0]
    return lambda function: function


def module() -> types.ModuleType:
    shim = types.ModuleType("pytest")
    shim.__dict__.update(
        raises=raises,
        approx=approx,
        fail=fail,
        skip=skip,
        mark=_Mark(),
        fixture=_fixture,
        SkippedError=SkippedError,
    )
    return shim
