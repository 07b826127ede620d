"""Mistakes that do not always raise: found in the syntax tree, with or without an error.

Mutable default arguments, changing a list while looping over it, a comparison written where an
assignment was meant, a function whose result is used but that returns nothing, off-by-one
ranges, and loops whose condition never changes.
"""

import ast
from collections.abc import Callable, Iterator

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.source import BUILTIN_NAMES, SourceCode, expression_text, indentation_of

_MUTATING_METHODS = frozenset(
    {"append", "remove", "pop", "insert", "extend", "clear", "add", "discard", "update"}
)
_MUTABLE_CALLS = frozenset({"list", "dict", "set"})


def find_logic_problems(code: SourceCode, only: set[str] | None = None) -> list[Diagnosis]:
    """Every logic problem found, most harmful first; `only` these situations when given."""
    if code.tree is None:
        return []
    found: list[Diagnosis] = []
    for situation, check in _CHECKS:
        if only is None or situation in only:
            found.extend(check(code))
    return found


def logic_problem_near(code: SourceCode, line: int | None, situations: set[str]) -> Diagnosis | None:
    """A logic problem of one of these kinds that explains an error at `line` (the nearest one)."""
    candidates = find_logic_problems(code, situations)
    if not candidates:
        return None
    return min(candidates, key=lambda problem: abs((problem.line or 0) - (line or 0)))


def _functions(code: SourceCode) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in code.nodes():
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _mutable_defaults(code: SourceCode) -> list[Diagnosis]:
    problems = []
    for function in _functions(code):
        positional = function.args.posonlyargs + function.args.args
        pairs = list(
            zip(
                positional[len(positional) - len(function.args.defaults) :],
                function.args.defaults,
                strict=True,
            )
        )
        pairs += [
            (argument, default)
            for argument, default in zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True)
            if default is not None
        ]
        for argument, default in pairs:
            mutable = isinstance(default, ast.List | ast.Dict | ast.Set) or (
                isinstance(default, ast.Call)
                and isinstance(default.func, ast.Name)
                and default.func.id in _MUTABLE_CALLS
            )
            if not mutable:
                continue
            problems.append(_mutable_default_help(code, function, argument.arg, default))
    return problems


def _mutable_default_help(
    code: SourceCode, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, default: ast.expr
) -> Diagnosis:
    shown = expression_text(code, default)
    body_indent = indentation_of(code.line(function.body[0].lineno))
    first = function.body[0]
    insert_at = first.lineno
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        insert_at = (first.end_lineno or first.lineno) + 1  # after the docstring
    fixed = edits.replace_span(
        code.text,
        (default.lineno, default.col_offset),
        (default.end_lineno or default.lineno, default.end_col_offset or default.col_offset),
        "None",
    )
    fixed = edits.insert_lines(
        fixed, insert_at, [f"{body_indent}if {name} is None:", f"{body_indent}    {name} = {shown}"]
    )
    return Diagnosis(
        situation="logic.mutable_default",
        kind=(
            f"This is a logic problem in the definition of `{function.name}` on line {function.lineno}: "
            "a default value is shared between calls."
        ),
        pointer=(
            f"The default value of `{name}` is `{shown}`, which Python creates once, when the function is "
            "defined, "
            f"not at each call. Every call that leaves out `{name}` gets the same object, so what one call "
            "adds "
            "to it is still there in the next call."
        ),
        fix=(
            f"Use `None` as the default and create a new `{shown}` inside the function when `{name}` is "
            "None: "
            f"`def {function.name}(..., {name}=None):` then `if {name} is None: {name} = {shown}`."
        ),
        fixed_code=fixed,
        line=function.lineno,
    )


def _modified_while_iterating(code: SourceCode) -> list[Diagnosis]:
    problems = []
    for loop in code.nodes():
        if not isinstance(loop, ast.For) or not isinstance(loop.iter, ast.Name | ast.Attribute):
            continue
        iterated = ast.unparse(loop.iter)
        for node in (child for statement in loop.body for child in ast.walk(statement)):
            changed = _mutation_of(node, iterated)
            if changed is None:
                continue
            copy = f"{iterated}.copy()"
            header = code.line(loop.lineno)
            iter_text = expression_text(code, loop.iter)
            fixed_header = header.replace(f" in {iter_text}", f" in {copy}", 1)
            fixed = (
                edits.replace_line(code.text, loop.lineno, fixed_header) if fixed_header != header else None
            )
            problems.append(
                Diagnosis(
                    situation="logic.modify_while_iterating",
                    kind=(
                        f"This is a logic problem in the loop on line {loop.lineno}: the loop changes the "
                        "collection it is going through."
                    ),
                    pointer=(
                        f"Line {getattr(node, 'lineno', loop.lineno)} calls `{changed}` on `{iterated}` "
                        "while the `for` loop "
                        f"walks through `{iterated}`. The loop keeps a position counter; removing items "
                        "shifts the "
                        "others under it (some are skipped), adding items makes it run longer or forever."
                    ),
                    fix=(
                        f"Loop over a copy and change the original: `for ... in {copy}:`, or build a new "
                        "collection with the items you want to keep (a list comprehension)."
                    ),
                    fixed_code=fixed,
                    line=loop.lineno,
                )
            )
            break
    return problems


def _mutation_of(node: ast.AST, iterated: str) -> str | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _MUTATING_METHODS
        and ast.unparse(node.func.value) == iterated
    ):
        return f".{node.func.attr}()"
    if isinstance(node, ast.Delete):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and ast.unparse(target.value) == iterated:
                return "del"
    return None


def _comparison_as_statement(code: SourceCode) -> list[Diagnosis]:
    problems = []
    for node in code.nodes():
        if not (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Compare)
            and len(node.value.ops) == 1
            and isinstance(node.value.ops[0], ast.Eq)
            and isinstance(node.value.left, ast.Name | ast.Attribute | ast.Subscript)
        ):
            continue
        line = code.line(node.lineno)
        statement = expression_text(code, node.value)
        left = expression_text(code, node.value.left)
        right = expression_text(code, node.value.comparators[0])
        fixed_line = line.replace(statement, f"{left} = {right}", 1)
        problems.append(
            Diagnosis(
                situation="logic.comparison_instead_of_assignment",
                kind=f"This is a logic problem on line {node.lineno}: the line has no effect.",
                pointer=(
                    f"`{statement}` compares `{left}` with `{right}` and throws the answer (True or False) "
                    "away; "
                    f"it does not change `{left}`. `==` asks a question, `=` stores a value."
                ),
                fix=f"To store the value, use a single `=`: `{fixed_line.strip()}`",
                fixed_code=edits.replace_line(code.text, node.lineno, fixed_line),
                line=node.lineno,
            )
        )
    return problems


def functions_without_return(code: SourceCode) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """Functions that never return a value (no `return <value>` and not a generator)."""
    found = {}
    for function in _functions(code):
        own = list(_own_nodes(function))
        returns_value = any(isinstance(node, ast.Return) and node.value is not None for node in own)
        generator = any(isinstance(node, ast.Yield | ast.YieldFrom) for node in own)
        if not returns_value and not generator:
            found[function.name] = function
    return found


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function, without those of functions nested in it."""
    for child in ast.iter_child_nodes(function):
        yield child
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            yield from _own_nodes(child)


def _result_used(code: SourceCode, name: str) -> int | None:
    """The line of the first call of `name` whose result is used (not a call standing alone)."""
    standalone = {
        id(node.value)
        for node in code.nodes()
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    }
    for node in code.nodes():
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == name
            and id(node) not in standalone
        ):
            return node.lineno
    return None


def _missing_return(code: SourceCode) -> list[Diagnosis]:
    problems = []
    for name, function in functions_without_return(code).items():
        used_at = _result_used(code, name)
        if used_at is None:
            continue
        problems.append(missing_return_help(code, function, used_at))
    return problems


def missing_return_help(
    code: SourceCode, function: ast.FunctionDef | ast.AsyncFunctionDef, used_at: int
) -> Diagnosis:
    last = function.body[-1]
    body_indent = indentation_of(code.line(last.lineno))
    value: str | None = None
    fixed: str | None = None
    if isinstance(last, ast.Assign) and len(last.targets) == 1 and isinstance(last.targets[0], ast.Name):
        value = last.targets[0].id
    elif isinstance(last, ast.AugAssign | ast.AnnAssign) and isinstance(last.target, ast.Name):
        value = last.target.id
    elif isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        call = last.value
        if (
            isinstance(call.func, ast.Name)
            and call.func.id == "print"
            and len(call.args) == 1
            and not call.keywords
        ):
            printed = expression_text(code, call.args[0])
            fixed = edits.replace_line(code.text, last.lineno, f"{body_indent}return {printed}")
            value = printed
    elif isinstance(last, ast.For | ast.While | ast.If):
        assigned = [
            node.id
            for node in ast.walk(function)
            if isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Store)
            and node.id not in _loop_targets(function)
        ]
        if assigned:
            value = assigned[0]
            body_indent = indentation_of(code.line(function.body[0].lineno))
    if fixed is None and value is not None:
        fixed = edits.insert_lines(
            code.text, (last.end_lineno or last.lineno) + 1, [f"{body_indent}return {value}"]
        )
    return Diagnosis(
        situation="logic.missing_return",
        kind=(
            f"This is a logic problem: the function `{function.name}` (line {function.lineno}) gives back "
            "nothing, "
            f"but line {used_at} uses what it gives back."
        ),
        pointer=(
            f"`{function.name}` has no `return` with a value, so every call of it results in `None`. "
            + (
                "Printing a value shows it on the screen but does not hand it back to the caller."
                if _is_print(last)
                else "Whatever the function computes stays inside it unless it is returned."
            )
        ),
        fix=(
            f"End `{function.name}` with `return {value}`"
            if value
            else f"End `{function.name}` with `return <the result>`"
        )
        + ", so that the caller receives the result.",
        fixed_code=fixed,
        line=function.lineno,
    )


def _is_print(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Name)
        and statement.value.func.id == "print"
    )


def _loop_targets(function: ast.AST) -> set[str]:
    return {
        target.id
        for node in ast.walk(function)
        if isinstance(node, ast.For | ast.comprehension)
        for target in ast.walk(node.target)
        if isinstance(target, ast.Name)
    }


def _off_by_one(code: SourceCode) -> list[Diagnosis]:
    problems = []
    for node in code.nodes():
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            problem = _range_past_the_end(code, node)
            if problem is not None:
                problems.append(problem)
        if isinstance(node, ast.Subscript) and _is_len_of(node.slice, ast.unparse(node.value)):
            problems.append(_index_at_len(code, node))
    return problems


def _is_len_of(node: ast.AST, sequence: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "len"
        and len(node.args) == 1
        and ast.unparse(node.args[0]) == sequence
    )


def _range_past_the_end(code: SourceCode, loop: ast.For) -> Diagnosis | None:
    call = loop.iter
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "range"
        and call.args
    ):
        return None
    stop = call.args[-1] if len(call.args) <= 2 else call.args[1]
    index = loop.target.id  # type: ignore[attr-defined]
    indexed = {
        ast.unparse(node.value)
        for statement in loop.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name) and node.slice.id == index
    }
    past_end = (
        isinstance(stop, ast.BinOp)
        and isinstance(stop.op, ast.Add)
        and isinstance(stop.right, ast.Constant)
        and stop.right.value == 1
        and any(_is_len_of(stop.left, sequence) for sequence in indexed)
    )
    if not past_end:
        return None
    sequence = ast.unparse(stop.left.args[0])  # type: ignore[attr-defined]
    stop_text = expression_text(code, stop)
    header = code.line(loop.lineno)
    fixed_header = header.replace(stop_text, f"len({sequence})", 1)
    return Diagnosis(
        situation="logic.off_by_one",
        kind=f"This is an off-by-one problem in the loop on line {loop.lineno}: it goes one step too far.",
        pointer=(
            f"`{stop_text}` makes `{index}` reach `len({sequence})`, but the last position of `{sequence}` "
            "is "
            f"`len({sequence}) - 1` because positions start at 0. The last round of the loop asks for an "
            "item that "
            "does not exist."
        ),
        fix=f"Stop the range at the length itself (range never includes its end): `{fixed_header.strip()}`",
        fixed_code=edits.replace_line(code.text, loop.lineno, fixed_header),
        line=loop.lineno,
    )


def _index_at_len(code: SourceCode, node: ast.Subscript) -> Diagnosis:
    sequence = expression_text(code, node.value)
    shown = expression_text(code, node)
    line = code.line(node.lineno)
    fixed_line = line.replace(shown, f"{sequence}[-1]", 1)
    return Diagnosis(
        situation="logic.off_by_one",
        kind=f"This is an off-by-one problem on line {node.lineno}: an index one past the end.",
        pointer=(
            f"`{shown}` asks for the item at position `len({sequence})`, but positions run from 0 to "
            f"`len({sequence}) - 1`: there is nothing at that position."
        ),
        fix=f"The last item is at `len({sequence}) - 1`, which Python also lets you write as `-1`: "
        f"`{fixed_line.strip()}`",
        fixed_code=edits.replace_line(code.text, node.lineno, fixed_line),
        line=node.lineno,
    )


def _loops_that_never_end(code: SourceCode) -> list[Diagnosis]:
    problems = []
    for loop in code.nodes():
        if not isinstance(loop, ast.While):
            continue
        if isinstance(loop.test, ast.Constant) and loop.test.value:
            if not any(isinstance(node, ast.Break | ast.Return) for node in ast.walk(loop)):
                problems.append(_endless(code, loop, "`while True` has no `break` or `return` inside it"))
            continue
        tested = {node.id for node in ast.walk(loop.test) if isinstance(node, ast.Name)}
        if not tested:
            continue
        changed = {
            node.id
            for statement in loop.body
            for node in ast.walk(statement)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        }
        called = any(  # a call may change what the condition tests, unless it is a builtin like print
            isinstance(node, ast.Call)
            and not (isinstance(node.func, ast.Name) and node.func.id in BUILTIN_NAMES)
            for node in ast.walk(loop)
        )
        escapes = any(isinstance(node, ast.Break | ast.Return) for node in ast.walk(loop))
        if not tested & changed and not escapes and not called:
            names = ", ".join(f"`{name}`" for name in sorted(tested))
            problems.append(
                _endless(code, loop, f"nothing inside the loop changes {names}, which its condition tests")
            )
    return problems


def _endless(code: SourceCode, loop: ast.While, why: str) -> Diagnosis:
    return Diagnosis(
        situation="logic.infinite_loop",
        kind=f"This is a logic problem in the loop on line {loop.lineno}: it can never stop.",
        pointer=f"The loop `{code.line(loop.lineno).strip()}` runs while its condition is true, but {why}.",
        fix=(
            "Change, inside the loop, the variable the condition tests (for example `count += 1`), "
            "or leave the loop with `break` when the work is done."
        ),
        line=loop.lineno,
    )


_CHECKS: tuple[tuple[str, Callable[[SourceCode], list[Diagnosis]]], ...] = (
    ("logic.missing_return", _missing_return),
    ("logic.mutable_default", _mutable_defaults),
    ("logic.modify_while_iterating", _modified_while_iterating),
    ("logic.comparison_instead_of_assignment", _comparison_as_statement),
    ("logic.off_by_one", _off_by_one),
    ("logic.infinite_loop", _loops_that_never_end),
)
