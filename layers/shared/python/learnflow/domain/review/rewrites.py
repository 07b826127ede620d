"""Rewrites of the student's program that a suggestion proposes: each returns the whole new program.

They are mechanical, so that each can be checked: the new program must parse, and where possible
behave the same (`equivalence.py`). ruff's own safe fixes are used as rewrites too.
"""

import ast
import re
from dataclasses import dataclass

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.logic_checks import find_logic_problems
from learnflow.domain.debugging.source import SourceCode, indentation_of
from learnflow.domain.review.efficiency import is_memoized, self_calls
from learnflow.domain.review.linters import Edit, RawFinding

# layout is one suggestion of its own (`ruff format`), not one per finding
_LAYOUT = ("E1", "E2", "E3", "W1", "W2", "W3")


@dataclass(frozen=True)
class Rewrite:
    title: str
    reason: str
    line: int
    code: str


def apply_edits(code: str, changes: tuple[Edit, ...]) -> str:
    """Applies ruff's edits (1-based rows and columns), last first so positions stay valid."""
    lines = code.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def position(row: int, column: int) -> int:
        return offsets[min(row - 1, len(lines))] + column - 1

    text = code
    for change in sorted(changes, key=lambda edit: edit.start, reverse=True):
        text = text[: position(*change.start)] + change.content + text[position(*change.end) :]
    return text


def ruff_fix_rewrites(code: str, findings: list[RawFinding], friendly: dict[str, str]) -> list[Rewrite]:
    rewrites = []
    seen: set[str] = set()
    for finding in findings:
        if not finding.edits or finding.code.startswith(_LAYOUT) or finding.code in seen:
            continue
        seen.add(finding.code)  # one example of each kind is enough to learn from
        rewrites.append(
            Rewrite(
                title=finding.fix_title or f"Apply ruff's fix for {finding.code}",
                reason=friendly.get(finding.code, finding.message),
                line=finding.line,
                code=apply_edits(code, finding.edits),
            )
        )
    return rewrites


def layout_rewrite(code: str, formatted: str | None) -> Rewrite | None:
    if formatted is None or formatted == code or formatted.rstrip() == code.rstrip():
        return None
    first = next(
        (
            number
            for number, (old, new) in enumerate(
                zip(code.splitlines(), formatted.splitlines(), strict=False), 1
            )
            if old != new
        ),
        1,
    )
    return Rewrite(
        title="Lay the code out the PEP 8 way",
        reason=(
            "PEP 8 is the layout every Python programmer reads most easily: spaces around operators, after "
            "commas, two blank lines around functions. `ruff format` (or your editor) does it for you."
        ),
        line=first,
        code=formatted,
    )


def logic_rewrites(code: str) -> list[Rewrite]:
    rewrites = []
    for problem in find_logic_problems(
        SourceCode.of(code), {"logic.mutable_default", "logic.modify_while_iterating"}
    ):
        if problem.fixed_code is None:
            continue
        title = {
            "logic.mutable_default": "Use None as the default value",
            "logic.modify_while_iterating": "Loop over a copy while changing the list",
        }[problem.situation]
        rewrites.append(Rewrite(title, problem.pointer, problem.line or 1, problem.fixed_code))
    return rewrites


def efficiency_rewrites(code: str, tree: ast.Module) -> list[Rewrite]:
    rewrites: list[Rewrite] = []
    for node in ast.walk(tree):
        found: list[Rewrite | None] = []
        if isinstance(node, ast.For):
            found = [
                _range_len(code, node),
                _join_instead_of_concatenation(code, tree, node),
                _set_for_membership(code, tree, node),
                _counter_for_count(code, node),
            ]
        elif isinstance(node, ast.FunctionDef):
            found = [_memoize(code, node)]
        rewrites.extend(rewrite for rewrite in found if rewrite is not None)
    return sorted(rewrites, key=lambda rewrite: rewrite.line)


def _range_len(code: str, loop: ast.For) -> Rewrite | None:
    call = loop.iter
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "range"
        and len(call.args) == 1
        and isinstance(call.args[0], ast.Call)
        and isinstance(call.args[0].func, ast.Name)
        and call.args[0].func.id == "len"
        and len(call.args[0].args) == 1
        and isinstance(loop.target, ast.Name)
    ):
        return None
    sequence = ast.unparse(call.args[0].args[0])
    index = loop.target.id
    subscripts = [
        node
        for statement in loop.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Name)
        and node.slice.id == index
        and ast.unparse(node.value) == sequence
    ]
    if not subscripts or any(not isinstance(node.ctx, ast.Load) for node in subscripts):
        return None
    index_uses = sum(
        1
        for statement in loop.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Name) and node.id == index
    )
    item = _singular(sequence)
    new = code
    for node in sorted(subscripts, key=lambda node: (node.lineno, node.col_offset), reverse=True):
        new = edits.replace_span(
            new,
            (node.lineno, node.col_offset),
            (node.end_lineno or node.lineno, node.end_col_offset or 0),
            item,
        )
    header = (
        f"for {item} in {sequence}"
        if index_uses == len(subscripts)
        else f"for {index}, {item} in enumerate({sequence})"
    )
    new = edits.replace_span(
        new,
        (loop.lineno, loop.col_offset),
        (call.end_lineno or loop.lineno, call.end_col_offset or 0),
        header,
    )
    return Rewrite(
        title="Loop over the items directly" if index_uses == len(subscripts) else "Use enumerate()",
        reason=(
            f"`range(len({sequence}))` and then `{sequence}[{index}]` is a roundabout way to reach each "
            "item. "
            "Looping over the items reads like what you mean and avoids index mistakes."
        ),
        line=loop.lineno,
        code=new,
    )


def _singular(sequence: str) -> str:
    name = sequence.split(".")[-1]
    if re.fullmatch(r"[a-z_][a-z0-9_]*s", name) and len(name) > 2:
        return name[:-1] if not name.endswith("ss") else "item"
    return "item"


def _statement_before(tree: ast.Module, loop: ast.stmt) -> list[ast.stmt]:
    """The statements before `loop` in the same block."""
    return _blocks(tree).get(id(loop), [])


_block_cache: dict[int, tuple[ast.Module, dict[int, list[ast.stmt]]]] = {}


def _blocks(tree: ast.Module) -> dict[int, list[ast.stmt]]:
    """For each statement, those before it in its block (computed once per tree)."""
    cached = _block_cache.get(id(tree))
    if cached is not None and cached[0] is tree:
        return cached[1]
    before: dict[int, list[ast.stmt]] = {}
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                for index, statement in enumerate(block):
                    before[id(statement)] = block[:index]
    _block_cache.clear()  # one tree at a time: the review in progress
    _block_cache[id(tree)] = (tree, before)
    return before


def _join_instead_of_concatenation(code: str, tree: ast.Module, loop: ast.For) -> Rewrite | None:
    updates = [
        node
        for node in loop.body
        if isinstance(node, ast.AugAssign)
        and isinstance(node.op, ast.Add)
        and isinstance(node.target, ast.Name)
    ]
    if len(updates) != 1:
        return None
    name = updates[0].target.id  # type: ignore[union-attr]
    start = next(
        (
            statement
            for statement in reversed(_statement_before(tree, loop))
            if isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == name
        ),
        None,
    )
    if start is None or not (isinstance(start.value, ast.Constant) and isinstance(start.value.value, str)):
        return None
    other_uses = [
        node
        for statement in loop.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Name) and node.id == name and node is not updates[0].target
    ]
    if other_uses or start.lineno != start.end_lineno:
        return None
    parts = f"{name}_parts"
    update = updates[0]
    indent = indentation_of(code.splitlines()[loop.lineno - 1])
    first = f"[{start.value.value!r}]" if start.value.value else "[]"
    new = edits.insert_lines(
        code, (loop.end_lineno or loop.lineno) + 1, [f'{indent}{name} = "".join({parts})']
    )
    value = ast.get_source_segment(code, update.value) or ast.unparse(update.value)
    update_line = code.splitlines()[update.lineno - 1]
    if update.lineno != update.end_lineno:
        return None
    new = edits.replace_line(new, update.lineno, f"{indentation_of(update_line)}{parts}.append({value})")
    new = edits.replace_line(
        new, start.lineno, f"{indentation_of(code.splitlines()[start.lineno - 1])}{parts} = {first}"
    )
    return Rewrite(
        title="Collect the pieces, join them once",
        reason=(
            f"`{name} += ...` in a loop builds a new, longer string at every round, copying everything so "
            "far. "
            "Appending the pieces to a list and joining them at the end does each piece once."
        ),
        line=loop.lineno,
        code=new,
    )


def _set_for_membership(code: str, tree: ast.Module, loop: ast.For) -> Rewrite | None:
    tests = [
        node
        for statement in loop.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], ast.In | ast.NotIn)
        and isinstance(node.comparators[0], ast.Name)
    ]
    for test in tests:
        container = test.comparators[0].id  # type: ignore[attr-defined]
        built = any(
            isinstance(statement, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == container for target in statement.targets)
            and isinstance(statement.value, ast.List | ast.ListComp)
            for statement in _statement_before(tree, loop)
        )
        changed_in_loop = any(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == container
            for statement in loop.body
            for node in ast.walk(statement)
        ) or any(
            isinstance(node, ast.Name) and node.id == container and not isinstance(node.ctx, ast.Load)
            for statement in loop.body
            for node in ast.walk(statement)
        )
        if not built or changed_in_loop:
            continue
        lookup = f"{container}_set"
        new = code
        for node in sorted(
            (t for t in tests if t.comparators[0].id == container),  # type: ignore[attr-defined]
            key=lambda t: (t.lineno, t.col_offset),
            reverse=True,
        ):
            target = node.comparators[0]
            new = edits.replace_span(
                new, (target.lineno, target.col_offset), (target.lineno, target.end_col_offset or 0), lookup
            )
        indent = indentation_of(code.splitlines()[loop.lineno - 1])
        new = edits.insert_lines(new, loop.lineno, [f"{indent}{lookup} = set({container})"])
        return Rewrite(
            title="Look items up in a set",
            reason=(
                f"`in {container}` reads the list from the start every time round the loop. A set answers "
                "`in` in "
                "one step, so build it once before the loop."
            ),
            line=test.lineno,
            code=new,
        )
    return None


def _counter_for_count(code: str, loop: ast.For) -> Rewrite | None:
    counts = [
        node
        for statement in loop.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "count"
        and isinstance(node.func.value, ast.Name)
        and len(node.args) == 1
        and not node.keywords
    ]
    if not counts:
        return None
    sequence = counts[0].func.value.id  # type: ignore[attr-defined]
    changed = any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and ast.unparse(node.func.value) == sequence
        and node.func.attr != "count"
        for statement in loop.body
        for node in ast.walk(statement)
    )
    if changed:
        return None
    lookup = f"{sequence}_counts"
    new = code
    for call in sorted(
        (call for call in counts if call.func.value.id == sequence),  # type: ignore[attr-defined]
        key=lambda call: (call.lineno, call.col_offset),
        reverse=True,
    ):
        argument = ast.get_source_segment(code, call.args[0]) or ast.unparse(call.args[0])
        new = edits.replace_span(
            new,
            (call.lineno, call.col_offset),
            (call.end_lineno or call.lineno, call.end_col_offset or 0),
            f"{lookup}[{argument}]",
        )
    indent = indentation_of(code.splitlines()[loop.lineno - 1])
    new = edits.insert_lines(new, loop.lineno, [f"{indent}{lookup} = Counter({sequence})"])
    new = edits.insert_lines(new, 1, ["from collections import Counter", ""])
    return Rewrite(
        title="Count everything once with Counter",
        reason=(
            f"`{sequence}.count(...)` goes through the whole sequence on every round of the loop. "
            "`collections.Counter` counts every item in one pass; then each count is a lookup."
        ),
        line=counts[0].lineno,
        code=new,
    )


def _memoize(code: str, function: ast.FunctionDef) -> Rewrite | None:
    if len(self_calls(function)) < 2 or is_memoized(function):
        return None
    if function.args.defaults or function.args.kwonlyargs or function.args.vararg or function.args.kwarg:
        return None
    indent = indentation_of(code.splitlines()[function.lineno - 1])
    first_line = function.decorator_list[0].lineno if function.decorator_list else function.lineno
    new = edits.insert_lines(code, first_line, [f"{indent}@functools.cache"])
    new = edits.insert_lines(new, 1, ["import functools", ""])
    return Rewrite(
        title="Remember results with @functools.cache",
        reason=(
            f"`{function.name}` calls itself several times per step, so it computes the same values over "
            "and over "
            "(the calls double at every level). `@functools.cache` remembers each result the first time."
        ),
        line=function.lineno,
        code=new,
    )
