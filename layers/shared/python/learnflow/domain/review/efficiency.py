"""Efficiency rules read from the syntax tree, and an estimated big-O for each function.

Rules: nested loops over the same data, `in` on a list inside a loop, string concatenation in a
loop, `range(len(...))`, `.index`/`.count` inside a loop, and recursion that calls itself more
than once without memoization. The big-O estimate counts the nesting of loops over the input
(a loop over `range(<constant>)` does not count), the linear operations inside them (`in` on a
list, `.index`, `.count`, `sum`, copies...), sorting (n log n), and recursion: halving the
argument is log n, one call per step is n, two or more calls per step is 2^n.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass

_LINEAR_CALLS = frozenset({"sum", "max", "min", "list", "sorted", "set", "tuple", "any", "all"})
_LINEAR_METHODS = frozenset({"index", "count", "remove", "insert", "copy", "join", "split", "replace"})
_MEMO_DECORATORS = frozenset({"cache", "lru_cache", "memoize", "cached"})


@dataclass(frozen=True)
class EfficiencyFinding:
    rule: str
    line: int
    column: int
    message: str
    #: the growth it causes, e.g. "O(n²)"
    cost: str
    function: str | None = None


@dataclass(frozen=True, order=True)
class Cost:
    power: int
    log: int = 0
    exponential: bool = False

    def __str__(self) -> str:
        if self.exponential:
            return "O(2^n)"
        if self.power == 0:
            return "O(log n)" if self.log else "O(1)"
        power = {1: "n", 2: "n²", 3: "n³"}.get(self.power, f"n^{self.power}")
        return f"O({power} log n)" if self.log else f"O({power})"


def _name(node: ast.AST) -> str:
    return ast.unparse(node)


def _is_constant_range(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "range"
        and all(isinstance(argument, ast.Constant) for argument in node.args)
    ) or isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Constant)


def _loops(node: ast.AST) -> Iterator[ast.For | ast.While | ast.comprehension]:
    for child in ast.walk(node):
        if isinstance(child, ast.For | ast.While | ast.comprehension):
            yield child


def _list_names(scope: ast.AST) -> set[str]:
    """Names bound to lists in this scope (literals, list(), comprehensions, split, sorted)."""
    names: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            is_list = isinstance(value, ast.List | ast.ListComp) or (
                isinstance(value, ast.Call)
                and (
                    (isinstance(value.func, ast.Name) and value.func.id in {"list", "sorted"})
                    or (isinstance(value.func, ast.Attribute) and value.func.attr in {"split", "readlines"})
                )
            )
            if is_list:
                names.add(node.targets[0].id)
    return names


def _string_names(scope: ast.AST) -> set[str]:
    return {
        node.targets[0].id
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and (
            (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))
            or isinstance(node.value, ast.JoinedStr)
        )
    }


def find_inefficiencies(tree: ast.Module) -> list[EfficiencyFinding]:
    findings: list[EfficiencyFinding] = []
    scopes: list[tuple[ast.AST, str | None]] = [(tree, None)]
    scopes += [
        (node, node.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    for scope, function in scopes:
        lists, strings = _list_names(scope), _string_names(scope)
        for loop in _own_loops(scope):
            findings += _loop_findings(loop, lists, strings, function)
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            finding = _unmemoized_recursion(scope)
            if finding is not None:
                findings.append(finding)
    return sorted(set(findings), key=lambda finding: (finding.line, finding.column, finding.rule))


def _own_loops(scope: ast.AST) -> Iterator[ast.For | ast.While]:
    """Loops of this scope, not of functions defined inside it."""
    for child in ast.iter_child_nodes(scope):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(child, ast.For | ast.While):
            yield child
        yield from _own_loops(child)


def _loop_findings(
    loop: ast.For | ast.While, lists: set[str], strings: set[str], function: str | None
) -> list[EfficiencyFinding]:
    found: list[EfficiencyFinding] = []
    body = [node for statement in loop.body for node in ast.walk(statement)]
    if isinstance(loop, ast.For):
        iterated = _name(loop.iter)
        if _is_range_len(loop.iter):
            found.append(
                EfficiencyFinding(
                    "range-len",
                    loop.lineno,
                    loop.col_offset + 1,
                    "`range(len(...))` only to reach each item: loop over the items (or `enumerate`) "
                    "directly.",
                    "O(n)",
                    function,
                )
            )
        for inner in body:
            same_data = isinstance(inner, ast.For) and (
                _name(inner.iter) == iterated or _base_sequence(inner.iter) == _base_sequence(loop.iter)
            )
            if isinstance(inner, ast.For) and same_data and not _is_constant_range(inner.iter):
                found.append(
                    EfficiencyFinding(
                        "nested-loops-same-data",
                        inner.lineno,
                        inner.col_offset + 1,
                        f"A loop over `{_base_sequence(inner.iter)}` inside a loop over the same data: "
                        "the "
                        "work grows with the square of its size. A set or a dict often does it in one "
                        "pass.",
                        "O(n²)",
                        function,
                    )
                )
    for node in body:
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
            container = node.comparators[-1]
            if (isinstance(container, ast.Name) and container.id in lists) or isinstance(container, ast.List):
                found.append(
                    EfficiencyFinding(
                        "membership-in-list",
                        node.lineno,
                        node.col_offset + 1,
                        f"`in {_name(container)}` searches the whole list each time round the loop; a set "
                        "finds "
                        "an item in one step.",
                        "O(n²)",
                        function,
                    )
                )
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"index", "count"}
        ):
            found.append(
                EfficiencyFinding(
                    "repeated-index-count",
                    node.lineno,
                    node.col_offset + 1,
                    f"`.{node.func.attr}()` goes through the whole sequence, and it runs on every round of "
                    "the "
                    "loop: count or index once beforehand (`collections.Counter`, a dict).",
                    "O(n²)",
                    function,
                )
            )
        if isinstance(node, ast.stmt) and _concatenates_string(node, strings):
            found.append(
                EfficiencyFinding(
                    "string-concatenation-in-loop",
                    node.lineno,
                    node.col_offset + 1,
                    "Adding to a string in a loop copies the whole string each time: collect the pieces in a "
                    "list and `''.join(...)` them once.",
                    "O(n²)",
                    function,
                )
            )
    return found


def _is_range_len(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "range"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Call)
        and isinstance(node.args[0].func, ast.Name)
        and node.args[0].func.id == "len"
    )


def _base_sequence(node: ast.expr) -> str:
    """`xs` for `xs`, `range(len(xs))`, `enumerate(xs)`, `xs[1:]`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
        if node.func.id in {"range", "enumerate", "reversed", "sorted"}:
            return _base_sequence(node.args[-1] if node.func.id == "range" else node.args[0])
        if node.func.id == "len":
            return _base_sequence(node.args[0])
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        return _base_sequence(node.value)
    return _name(node)


def _concatenates_string(node: ast.AST, strings: set[str]) -> bool:
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and isinstance(node.target, ast.Name):
        return node.target.id in strings
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.BinOp)
        and isinstance(node.value.op, ast.Add)
        and isinstance(node.value.left, ast.Name)
    ):
        return node.targets[0].id == node.value.left.id and node.targets[0].id in strings
    return False


def self_calls(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function.name
    ]


def is_memoized(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in _MEMO_DECORATORS:
            return True
    return False


def _unmemoized_recursion(function: ast.FunctionDef | ast.AsyncFunctionDef) -> EfficiencyFinding | None:
    calls = self_calls(function)
    if len(calls) < 2 or is_memoized(function) or not _same_path(function, calls):
        return None
    return EfficiencyFinding(
        "recursion-without-memoization",
        function.lineno,
        function.col_offset + 1,
        f"`{function.name}` calls itself {len(calls)} times per step, so the same values are computed again "
        "and "
        "again: the work doubles with each level. Remembering results (`@functools.cache`) computes each "
        "once.",
        "O(2^n)",
        function.name,
    )


def _same_path(function: ast.AST, calls: list[ast.Call]) -> bool:
    """Whether two self-calls can run in the same step (not one per branch of an if/else)."""
    for statement in ast.walk(function):
        if isinstance(statement, ast.stmt) and not isinstance(
            statement, ast.If | ast.FunctionDef | ast.AsyncFunctionDef | ast.For | ast.While | ast.Try
        ):
            inside = [call for call in calls if any(node is call for node in ast.walk(statement))]
            if len(inside) >= 2:
                return True
    return False


def estimate_big_o(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    lists = _list_names(function) | {argument.arg for argument in function.args.args}
    cost = _cost(function.body, 0, lists)
    calls = self_calls(function)
    if calls and not is_memoized(function):
        if len(calls) >= 2 and _same_path(function, calls):
            return str(Cost(0, exponential=True))
        step = Cost(0, 1) if any(_halves(call) for call in calls) else Cost(1)
        return str(max(Cost(step.power + cost.power, step.log + cost.log), step))
    return str(cost)


def _halves(call: ast.Call) -> bool:
    return any(
        isinstance(node, ast.BinOp) and isinstance(node.op, ast.FloorDiv | ast.Div | ast.RShift)
        for argument in call.args
        for node in ast.walk(argument)
    ) or any(
        isinstance(argument, ast.Subscript) and isinstance(argument.slice, ast.Slice)
        for argument in call.args
    )


def _cost(statements: list[ast.stmt], depth: int, lists: set[str]) -> Cost:
    worst = Cost(depth)
    for statement in statements:
        worst = max(worst, _expressions_cost(statement, depth, lists), _blocks_cost(statement, depth, lists))
    return worst


def _expressions_cost(statement: ast.stmt, depth: int, lists: set[str]) -> Cost:
    """The costliest call, membership test on a list or comprehension anywhere in the statement."""
    worst = Cost(depth)
    for child in ast.walk(statement):
        if isinstance(child, ast.Call):
            worst = max(worst, _call_cost(child, depth))
        elif isinstance(child, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in child.ops):
            container = child.comparators[-1]
            if isinstance(container, ast.Name) and container.id in lists:
                worst = max(worst, Cost(depth + 1))
        elif isinstance(child, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            worst = max(worst, Cost(depth + len(child.generators)))
    return worst


def _blocks_cost(statement: ast.stmt, depth: int, lists: set[str]) -> Cost:
    """The costliest block nested in the statement: a loop's body runs once per iteration."""
    if isinstance(statement, ast.For):
        inner = depth if _is_constant_range(statement.iter) else depth + 1
        return _cost(statement.body, inner, lists)
    if isinstance(statement, ast.While):
        return _cost(statement.body, depth + 1, lists)
    if isinstance(statement, ast.If | ast.With | ast.Try):
        blocks = [statement.body, getattr(statement, "orelse", []), getattr(statement, "finalbody", [])]
        blocks += [handler.body for handler in getattr(statement, "handlers", [])]
        return max((_cost(block, depth, lists) for block in blocks), default=Cost(depth))
    return Cost(depth)


def _call_cost(call: ast.Call, depth: int) -> Cost:
    if isinstance(call.func, ast.Name):
        if call.func.id == "sorted":
            return Cost(depth + 1, 1)
        if call.func.id in _LINEAR_CALLS and call.args and not _is_constant_range(call.args[0]):
            return Cost(depth + 1)
    if isinstance(call.func, ast.Attribute):
        if call.func.attr == "sort":
            return Cost(depth + 1, 1)
        if call.func.attr in _LINEAR_METHODS:
            return Cost(depth + 1)
    return Cost(depth)
