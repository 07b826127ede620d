"""Whether a rewrite behaves like the original: both are run in the sandbox on sample inputs.

A rewrite inside one function is checked by calling the old and the new function on sample
arguments (numbers, texts, lists, dicts...) in one sandbox program, each version defined in its
own scope so that recursion and decorators work; a sample counts when the old version accepts
it, and the versions agree when they return equal values and leave their arguments equal. A
rewrite elsewhere is checked by running both whole programs and comparing their output.
"""

import ast
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from learnflow.domain.debugging.running import sample_stdin
from learnflow.domain.errors import SandboxUnavailableError
from learnflow.domain.ports import Sandbox

_MARKER = "__learnflow_equivalence__"
_SAMPLE_VALUES = (
    "0, 1, 2, 5, 12, -3, 2.5, '', 'a', 'hello world', 'Level', [], [3, 1, 2], [1, 2, 2, 3, 3, 3], "
    "['b', 'a', 'b'], (1, 2), {'a': 1, 'b': 2}, True, None"
)
_PAIR_VALUES = "0, 1, 5, -2, 'ab', 'hello', [], [1, 2, 3], [3, 1, 3]"
_TRIPLE_VALUES = "0, 2, 'ab', [1, 2]"
_MODULE_CHECKS = 3

_HARNESS_TAIL = f"""
import copy as __copy, itertools as __itertools, json as __json
__values = {{1: [{_SAMPLE_VALUES}], 2: [{_PAIR_VALUES}], 3: [{_TRIPLE_VALUES}]}}
__verdicts = {{}}
for __key, (__before, __after, __arity) in __pairs.items():
    __pool = __values.get(__arity, [0, 1])
    __samples = [()] if __arity == 0 else list(__itertools.product(__pool, repeat=__arity))[:60]
    __found = []
    for __arguments in __samples:
        __results = []
        for __function in (__before, __after):
            __given = __copy.deepcopy(list(__arguments))
            try:
                __results.append(("ok", repr(__function(*__given)), repr(__given)))
            except Exception as __error:
                __results.append(("error", type(__error).__name__, ""))
        if __results[0][0] != "ok":
            __found.append("skip")
        else:
            __found.append("same" if __results[0] == __results[1] else "different")
    __verdicts[__key] = __found
print()
print("{_MARKER}" + __json.dumps(__verdicts))
"""


@dataclass(frozen=True)
class Verdict:
    same: bool | None
    samples: int


@dataclass(frozen=True)
class Change:
    original: str
    changed: str
    #: the top-level function the change is inside, when it is inside one
    function: str | None


def changed_function(
    original: ast.Module, changed: ast.Module, first_line: int, last_line: int
) -> str | None:
    """The top-level function of the original program that holds the changed lines, if one does."""
    still_there = {other.name for other in changed.body if isinstance(other, ast.FunctionDef)}
    for node in original.body:
        if (
            isinstance(node, ast.FunctionDef)
            and node.lineno <= first_line
            and last_line <= (node.end_lineno or 0)
            and node.name in still_there
        ):
            return node.name
    return None


def check_all(changes: Sequence[Change], runner: Sandbox | None) -> list[Verdict]:
    """One verdict per change (in order); unknown when there is no sandbox or the run fails."""
    verdicts = [Verdict(None, 0)] * len(changes)
    if runner is None or not changes:
        return verdicts
    try:
        in_functions = [
            (index, change) for index, change in enumerate(changes) if change.function is not None
        ]
        if in_functions:
            for index, verdict in _check_functions(in_functions, runner).items():
                verdicts[index] = verdict
        module_level = [(index, change) for index, change in enumerate(changes) if change.function is None]
        if module_level:
            for index, verdict in _check_programs(module_level[:_MODULE_CHECKS], runner).items():
                verdicts[index] = verdict
    except SandboxUnavailableError:
        pass
    return verdicts


def _definitions(code: str) -> str:
    """Imports, functions, classes and assignments without calls: what defines, not what runs.

    Imports are kept only when the definitions use them (an unused `import os` would have the
    sandbox refuse the whole check).
    """
    tree = ast.parse(code)
    kept: list[ast.stmt] = []
    imports: list[ast.Import | ast.ImportFrom] = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(node)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) or (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and not any(isinstance(inner, ast.Call) for inner in ast.walk(node))
        ):
            kept.append(node)
    used = {node.id for statement in kept for node in ast.walk(statement) if isinstance(node, ast.Name)}
    used |= {
        decorator.value.id
        for statement in kept
        for decorator in getattr(statement, "decorator_list", [])
        if isinstance(decorator, ast.Attribute) and isinstance(decorator.value, ast.Name)
    }
    needed = [
        node
        for node in imports
        if any((alias.asname or alias.name).split(".")[0] in used for alias in node.names)
    ]
    lines = code.splitlines()
    return "\n".join(
        "\n".join(lines[_first_line(node) - 1 : node.end_lineno])
        for node in sorted([*needed, *kept], key=_first_line)
    )


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return decorators[0].lineno if decorators else node.lineno


def _arities(code: str) -> dict[str, int | None]:
    """How many arguments each top-level function needs; None when it takes *args, **kwargs or keywords."""
    found: dict[str, int | None] = {}
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef):
            arguments = node.args
            variadic = arguments.vararg or arguments.kwarg or arguments.kwonlyargs
            required = len(arguments.posonlyargs) + len(arguments.args) - len(arguments.defaults)
            found[node.name] = None if variadic else required
    return found


def _check_functions(changes: list[tuple[int, Change]], runner: Sandbox) -> dict[int, Verdict]:
    # every change rewrites the same original: its definitions are defined once, in one scope
    original = changes[0][1].original
    before = textwrap.indent(_definitions(original) or "pass", "    ")
    names = sorted({change.function for _, change in changes if change.function})
    exported = ", ".join(f"{name!r}: {name}" for name in names)
    shared = f"def __version_before():\n{before}\n    return {{{exported}}}\n"
    blocks = [shared + "\n__before = __version_before()\n"]
    pairs = []
    arities = _arities(original)
    for index, change in changes:
        arity = arities.get(change.function or "")
        if arity is None or arity > 3:
            continue
        body = textwrap.indent(_definitions(change.changed) or "pass", "    ")
        blocks.append(f"def __version_after_{index}():\n{body}\n    return {change.function}\n")
        pairs.append(f"{index}: (__before[{change.function!r}], __version_after_{index}(), {arity})")
    if not pairs:
        return {}
    program = "\n".join(blocks) + f"\n__pairs = {{{', '.join(pairs)}}}\n" + _HARNESS_TAIL
    outcome = runner.run(program, "")
    marked = [line for line in outcome.stdout.splitlines() if line.startswith(_MARKER)]
    if not marked:
        return {}
    found = json.loads(marked[-1].removeprefix(_MARKER))
    verdicts = {}
    for key, samples in found.items():
        same = samples.count("same")
        different = samples.count("different")
        verdicts[int(key)] = Verdict(False if different else (True if same else None), same)
    return verdicts


def _check_programs(changes: list[tuple[int, Change]], runner: Sandbox) -> dict[int, Verdict]:
    original = changes[0][1].original
    stdin = sample_stdin(original)
    before = runner.run(original, stdin)
    verdicts = {}
    for index, change in changes:
        after = runner.run(change.changed, stdin)
        if before.status not in {"ok", "error"}:
            verdicts[index] = Verdict(None, 0)
        else:
            same = before.status == after.status and before.stdout == after.stdout
            verdicts[index] = Verdict(same, 1)
    return verdicts
