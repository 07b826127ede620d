"""Targeted help for errors raised while the program ran.

Each situation matches an error type and message (3.8 to 3.13 wording), reads the student's
code around the failing line when it has it, and explains at three levels. "Did you mean"
suggestions come from the names, keys and attributes the student's own code defines.
"""

import ast
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.logic_checks import (
    functions_without_return,
    logic_problem_near,
    missing_return_help,
)
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.source import (
    BUILTIN_NAMES,
    SourceCode,
    article,
    close_matches,
    expression_text,
    indentation_of,
    is_identifier,
)

# modules beginners use without importing; their attributes are listed from the interpreter
COMMON_MODULES = (
    "math",
    "random",
    "string",
    "time",
    "datetime",
    "json",
    "statistics",
    "collections",
    "itertools",
    "functools",
    "re",
    "sys",
    "os",
    "csv",
    "turtle",
    "copy",
    "fractions",
    "decimal",
)
_MODULES_SAFE_TO_INSPECT = frozenset(COMMON_MODULES) - {"turtle", "os", "sys"}
_THIRD_PARTY = (
    "numpy",
    "pandas",
    "matplotlib",
    "requests",
    "scipy",
    "sklearn",
    "flask",
    "django",
    "pygame",
    "bs4",
)
_BUILTIN_TYPES: dict[str, type] = {
    "str": str,
    "list": list,
    "dict": dict,
    "int": int,
    "float": float,
    "tuple": tuple,
    "set": set,
    "bool": bool,
    "NoneType": type(None),
    "bytes": bytes,
    "range": range,
}
# attributes beginners reach for that exist under another name or as a function
_WRONG_ATTRIBUTES: dict[tuple[str, str], str] = {
    ("list", "push"): "append",
    ("list", "add"): "append",
    ("list", "length"): "len()",
    ("list", "size"): "len()",
    ("list", "len"): "len()",
    ("str", "length"): "len()",
    ("str", "len"): "len()",
    ("str", "size"): "len()",
    ("str", "append"): "+",
    ("str", "contains"): "in",
    ("list", "contains"): "in",
    ("dict", "contains"): "in",
    ("dict", "has_key"): "in",
    ("dict", "iteritems"): "items",
    ("list", "lower"): "a loop over the items",
    ("list", "split"): "a loop over the items",
    ("int", "append"): "a list",
    ("str", "reverse"): "[::-1]",
    ("tuple", "append"): "a list",
    ("set", "append"): "add",
}


@dataclass(frozen=True)
class RuntimeFacts:
    error_type: str
    message: str
    line: int | None
    code: SourceCode
    #: the failing line as the traceback showed it, when the code does not have it
    source_line: str | None = None
    #: the module of Python's own library the error was raised in, when it was (e.g. `json`)
    library: str | None = None

    @property
    def text(self) -> str:
        return self.code.line(self.line) or (self.source_line or "")

    @property
    def shown(self) -> str:
        return self.text.strip()

    @property
    def where(self) -> str:
        return (
            f"line {self.line}" + (f" (`{self.shown}`)" if self.shown else "")
            if self.line
            else "the line the traceback ends on"
        )


def diagnose_runtime(facts: RuntimeFacts) -> Diagnosis:
    for situation in (*_SITUATIONS.get(facts.error_type, ()), _raised_by_program, _raised_in_library):
        found = situation(facts)
        if found is not None:
            return found
    return _generic(facts)


def _raised_by_program(facts: RuntimeFacts) -> Diagnosis | None:
    raises = facts.code.nodes_on_line(facts.line, ast.Raise)
    if not raises:
        return None
    function = facts.code.function_at(facts.line)
    guard = next(
        (
            node
            for node in facts.code.nodes()
            if isinstance(node, ast.If) and any(inner is raises[0] for inner in ast.walk(node))
        ),
        None,
    )
    return Diagnosis(
        situation="raised_by_program",
        kind=_kind(facts, "your own code raised this error on purpose"),
        pointer=(
            f"Line {facts.line} is a `raise` statement"
            + (f" in `{function.name}`" if function else "")
            + (f", reached because `{ast.unparse(guard.test)}` was true" if guard else "")
            + f': the program itself signals a problem ("{facts.message}").'
            + (
                " It was raised while handling an earlier error, shown above it in the traceback."
                if raises[0].cause
                else ""
            )
        ),
        fix=(
            "Either avoid the situation before calling (check the values you pass), or handle it where you "
            "call: "
            f"`try: ... except {facts.error_type}: ...`."
        ),
        line=facts.line,
    )


def _raised_in_library(facts: RuntimeFacts) -> Diagnosis | None:
    if facts.library is None:
        return None
    what = {
        "json": "the text given to `json.loads` is not valid JSON (keys need double quotes, no trailing "
        "commas)",
        "random": "`random` was given an empty sequence or an impossible range",
    }.get(facts.library, f"the values your line gave to `{facts.library}` are not what it accepts")
    return Diagnosis(
        situation="library_rejected_value",
        kind=_kind(facts, f"Python's `{facts.library}` module refused what your code gave it"),
        pointer=(
            f"The error was raised inside the `{facts.library}` module, called from line {facts.line}: "
            f"{what}. "
            f'Its message says: "{facts.message}".'
        ),
        fix=f"Print the values passed to `{facts.library}` on line {facts.line} and check them against its "
        "documentation.",
        line=facts.line,
    )


def _kind(facts: RuntimeFacts, what: str) -> str:
    return (
        f"This is {article(facts.error_type)} {facts.error_type}: {what}. It happened while your "
        f"program ran, at {facts.where}."
    )


def _quoted(message: str) -> str | None:
    found = re.search(r"'([^']*)'", message)
    return found.group(1) if found else None


# NameError ---------------------------------------------------------------------------------


def _name_error(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.match(r"name '([^']+)' is not defined", facts.message)
    if not found:
        return None
    name = found.group(1)
    kind = _kind(facts, "Python met a name it does not know")
    hinted = re.search(r"Did you mean: '([^']+)'", facts.message)
    for situation in (_missing_import, _name_typo, _defined_later, _local_elsewhere, _missing_quotes):
        diagnosis = situation(facts, name, kind, hinted.group(1) if hinted else None)
        if diagnosis is not None:
            return diagnosis
    return Diagnosis(
        situation="name_error.undefined",
        kind=kind,
        pointer=(
            f"`{name}` is used on line {facts.line} but your program never gives it a value: no `{name} = "
            "...`, "
            f"no `def {name}`, no `import {name}` before that line."
        ),
        fix=(
            f"Give `{name}` a value before this line (for example `{name} = ...`), or, if you meant a piece "
            "of "
            f'text, put it in quotes: `"{name}"`.'
        ),
        line=facts.line,
    )


def _missing_import(facts: RuntimeFacts, name: str, kind: str, _: str | None) -> Diagnosis | None:
    if name not in COMMON_MODULES or name in facts.code.defined_names():
        return None
    fixed = edits.insert_lines(facts.code.text, 1, [f"import {name}"]) if facts.code.text else None
    return Diagnosis(
        situation="name_error.missing_import",
        kind=kind,
        pointer=(
            f"`{name}` is a module of Python's standard library, but a module is only available after it is "
            f"imported, and your program never imports `{name}`."
        ),
        fix=f"Add `import {name}` at the top of your program, before the first line that uses `{name}`.",
        fixed_code=fixed,
        line=facts.line,
    )


def _name_typo(facts: RuntimeFacts, name: str, kind: str, hinted: str | None) -> Diagnosis | None:
    in_scope = facts.code.names_in_scope(facts.line) if facts.code.tree is not None else set(BUILTIN_NAMES)
    candidates = close_matches(name, in_scope)
    if hinted and hinted not in candidates:
        candidates.insert(0, hinted)
    if not candidates:
        return None
    best = candidates[0]
    fixed = edits.replace_word(facts.code.text, facts.line or 0, name, best) if facts.code.text else None
    own = best in facts.code.defined_names()
    fixed_line = facts.code.line(facts.line) if fixed is None else SourceCode.of(fixed).line(facts.line)
    return Diagnosis(
        situation="name_error.typo",
        kind=kind,
        pointer=(
            f"On line {facts.line}, `{name}` is not a name your program defines, but "
            + (
                "a name spelled almost the same is defined in your program. "
                if own
                else "Python has a built-in name spelled almost the same. "
            )
            + "Names must match exactly, including upper and lower case."
        ),
        fix=(
            f"Did you mean `{best}`?"
            + (
                f" (other close names: {', '.join(f'`{other}`' for other in candidates[1:])})"
                if len(candidates) > 1
                else ""
            )
            + (f" Write `{fixed_line.strip()}`" if fixed is not None else "")
        ),
        fixed_code=fixed,
        line=facts.line,
        suggestions=tuple(candidates),
    )


def _defined_later(facts: RuntimeFacts, name: str, kind: str, _: str | None) -> Diagnosis | None:
    if facts.code.tree is None or facts.line is None:
        return None
    later = [
        node.lineno
        for node in facts.code.nodes()
        if (
            (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name)
            or (isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name)
        )
        and node.lineno > facts.line
    ]
    if not later:
        return None
    return Diagnosis(
        situation="name_error.used_before_definition",
        kind=kind,
        pointer=(
            f"`{name}` is used on line {facts.line}, but it only gets its value on line {later[0]}. Python "
            "runs "
            "your program from top to bottom, so at line "
            f"{facts.line} that has not happened yet."
        ),
        fix=f"Move the line that defines `{name}` (line {later[0]}) above line {facts.line}, where it is "
        "first used.",
        line=facts.line,
    )


def _local_elsewhere(facts: RuntimeFacts, name: str, kind: str, _: str | None) -> Diagnosis | None:
    for node in facts.code.nodes():
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        end = node.end_lineno or node.lineno
        if facts.line is not None and node.lineno <= facts.line <= end:
            continue
        local = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        local |= {argument.arg for argument in node.args.args}
        if name in local:
            return Diagnosis(
                situation="name_error.local_variable_outside_function",
                kind=kind,
                pointer=(
                    f"`{name}` exists only inside the function `{node.name}` (line {node.lineno}): a "
                    "variable created "
                    "in a function disappears when the function ends, and the rest of the program cannot "
                    "see it."
                ),
                fix=(
                    f"Return the value from `{node.name}` (`return {name}`) and store what the call gives "
                    "back: "
                    f"`{name} = {node.name}(...)`."
                ),
                line=facts.line,
            )
    return None


def _missing_quotes(facts: RuntimeFacts, name: str, kind: str, _: str | None) -> Diagnosis | None:
    text = facts.text
    compared = re.search(rf"(==|!=)\s*{re.escape(name)}\b|\b{re.escape(name)}\s*(==|!=)", text)
    printed = re.search(rf"\b(print|input)\(\s*{re.escape(name)}\s*\)", text)
    if not compared and not printed:
        return None
    fixed = (
        edits.replace_word(facts.code.text, facts.line or 0, name, f'"{name}"') if facts.code.text else None
    )
    return Diagnosis(
        situation="name_error.missing_quotes",
        kind=kind,
        pointer=(
            f"On line {facts.line}, `{name}` has no quotes around it, so Python takes it for a variable's "
            "name, "
            "and there is no such variable. It looks like you meant a piece of text."
        ),
        fix=f'Put the text in quotes: `"{name}"`'
        + (f": `{SourceCode.of(fixed).line(facts.line).strip()}`" if fixed else ""),
        fixed_code=fixed,
        line=facts.line,
    )


# UnboundLocalError -----------------------------------------------------------------------------


def _unbound_local(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"local variable '([^']+)'", facts.message)
    if not found:
        return None
    name = found.group(1)
    function = facts.code.function_at(facts.line)
    module_names = _module_names(facts.code)
    kind = _kind(facts, "a variable of a function is read before the function gave it a value")
    if function is not None and name in module_names:
        body_indent = indentation_of(facts.code.line(function.body[0].lineno))
        fixed = edits.insert_lines(facts.code.text, function.body[0].lineno, [f"{body_indent}global {name}"])
        return Diagnosis(
            situation="unbound_local.assigns_global",
            kind=kind,
            pointer=(
                f"`{function.name}` assigns to `{name}` somewhere in its body, which makes `{name}` a new "
                "local "
                f"variable in the whole function, hiding the `{name}` of the main program. At line "
                f"{facts.line} "
                "the local one has no value yet."
            ),
            fix=(
                f"Best: give `{name}` to the function as a parameter and `return` the new value. Quickest: "
                "declare "
                f"`global {name}` as the first line of `{function.name}` so it changes the main program's "
                f"`{name}`."
            ),
            fixed_code=fixed,
            line=facts.line,
        )
    return Diagnosis(
        situation="unbound_local.used_before_assignment",
        kind=kind,
        pointer=(
            f"`{name}` only gets a value on some paths through the function (for example inside an `if` or "
            "a loop "
            f"that did not run), and line {facts.line} is reached without it."
        ),
        fix=f"Give `{name}` a starting value at the top of the function (for example `{name} = 0`), before "
        "any `if` or loop.",
        line=facts.line,
    )


def _module_names(code: SourceCode) -> set[str]:
    if code.tree is None:
        return set()
    names: set[str] = set()
    for statement in code.tree.body:
        if isinstance(
            statement, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.For | ast.Import | ast.ImportFrom
        ):
            names |= {
                node.id
                for node in ast.walk(statement)
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
            }
    return names


# TypeError -----------------------------------------------------------------------------------


def _none_result(facts: RuntimeFacts) -> Diagnosis | None:
    if "NoneType" not in facts.message:
        return None
    method_none = _assigned_from_none_method(facts)
    if method_none is not None:
        return method_none
    no_return = functions_without_return(facts.code)
    called_here = [
        node.func.id
        for node in facts.code.nodes()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in no_return
    ]
    if called_here:
        function = no_return[called_here[0]]
        help_ = missing_return_help(facts.code, function, facts.line or function.lineno)
        return help_.model_copy(
            update={
                "kind": _kind(facts, "a value is None where something else was expected"),
                "pointer": (
                    f"On line {facts.line}, a value is `None`: it comes from `{function.name}`, which never "
                    "returns "
                    "a value. " + help_.pointer
                ),
                "line": facts.line,
            }
        )
    return Diagnosis(
        situation="type_error.none_value",
        kind=_kind(facts, "a value is None where something else was expected"),
        pointer=(
            f"On line {facts.line}, one of the values is `None` (nothing). `None` usually comes from a "
            "function "
            "that has no `return`, or from a method like `.sort()` or `.append()` that changes a list and "
            "returns None."
        ),
        fix="Print the values on that line to see which one is None, then make the function that produced "
        "it `return` a value.",
        line=facts.line,
    )


def _assigned_from_none_method(facts: RuntimeFacts) -> Diagnosis | None:
    for node in facts.code.nodes():
        if not (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr
            in {"append", "sort", "reverse", "extend", "insert", "remove", "clear", "update"}
            and len(node.targets) == 1
        ):
            continue
        target = expression_text(facts.code, node.targets[0])
        call = expression_text(facts.code, node.value)
        fixed_line = indentation_of(facts.code.line(node.lineno)) + call
        return Diagnosis(
            situation="type_error.none_from_method",
            kind=_kind(facts, "a value is None where something else was expected"),
            pointer=(
                f"Line {node.lineno} stores the result of `.{node.value.func.attr}()` in `{target}`. That "
                "method "
                f"changes the list itself and returns `None`, so `{target}` becomes `None`."
            ),
            fix=f"Call the method on its own line without assigning its result: `{fixed_line.strip()}`",
            fixed_code=edits.replace_line(facts.code.text, node.lineno, fixed_line),
            line=node.lineno,
        )
    return None


def _from_input(code: SourceCode, name: str) -> bool:
    """Whether `name` is given the text `input()` returns (not converted to a number)."""
    for node in code.nodes():
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "input"
        ):
            return True
    return False


def _input_variables_on_line(facts: RuntimeFacts) -> list[ast.Name]:
    return [
        node for node in facts.code.nodes_on_line(facts.line, ast.Name) if _from_input(facts.code, node.id)
    ]


def _convert_input(facts: RuntimeFacts, name: str, to: str) -> str | None:
    for node in facts.code.nodes():
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
            and isinstance(node.value, ast.Call)
        ):
            call = node.value
            return edits.replace_span(
                facts.code.text,
                (call.lineno, call.col_offset),
                (call.end_lineno or call.lineno, call.end_col_offset or call.col_offset),
                f"{to}({expression_text(facts.code, call)})",
            )
    return None


def _input_not_converted(facts: RuntimeFacts) -> Diagnosis | None:
    mixes_text = re.search(
        r"'str' and '(int|float)'|'(int|float)' and 'str'|concatenate str \(not \"(int|float)\"\)|"
        r"can't multiply sequence by non-int of type 'str'",
        facts.message,
    )
    from_input = _input_variables_on_line(facts)
    if not mixes_text or not from_input:
        return None
    name = from_input[0].id
    number = "float" if "float" in facts.message else "int"
    fixed = _convert_input(facts, name, number)
    return Diagnosis(
        situation="type_error.input_not_converted",
        kind=_kind(facts, "text and a number are mixed in one operation"),
        pointer=(
            f"`{name}` comes from `input()`, and `input()` always gives back text (a `str`), even when the "
            "user "
            f"types digits. On line {facts.line} that text meets a number, and Python will not guess which "
            "you meant."
        ),
        fix=f"Convert the text to a number where you read it: `{name} = {number}(input(...))`.",
        fixed_code=fixed,
        line=facts.line,
    )


def _str_plus_number(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r'can only concatenate str \(not "(\w+)"\) to str', facts.message) or re.search(
        r"unsupported operand type\(s\) for \+=?: '(int|float)' and 'str'", facts.message
    )
    if not found:
        return None
    other = found.group(1)
    fixed = None
    for node in facts.code.nodes_on_line(facts.line, ast.BinOp):
        if not isinstance(node.op, ast.Add):
            continue
        for side, partner in ((node.right, node.left), (node.left, node.right)):
            if _looks_textual(partner) and not _looks_textual(side):
                fixed = edits.replace_span(
                    facts.code.text,
                    (side.lineno, side.col_offset),
                    (side.end_lineno or side.lineno, side.end_col_offset or side.col_offset),
                    f"str({expression_text(facts.code, side)})",
                )
                break
        if fixed:
            break
    fixed_line = SourceCode.of(fixed).line(facts.line).strip() if fixed else None
    return Diagnosis(
        situation="type_error.str_plus_number",
        kind=_kind(facts, "text and a number are joined with `+`"),
        pointer=(
            f"On line {facts.line}, `+` has a piece of text (`str`) on one side and a number (`{other}`) on "
            "the "
            "other. `+` joins two texts or adds two numbers; it cannot do both at once."
        ),
        fix=(
            "Turn the number into text with `str(...)` before joining"
            + (f": `{fixed_line}`" if fixed_line else "")
            + '. An f-string also works: `f"Total: {total}"`.'
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def _looks_textual(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _looks_textual(node.left) or _looks_textual(node.right)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"str", "input"}


def _not_callable(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"'(\w+)' object is not callable", facts.message)
    if not found:
        return None
    type_name = found.group(1)
    shadowed = [
        node
        for node in facts.code.nodes()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in BUILTIN_NAMES
    ]
    called_on_line = {
        node.func.id
        for node in facts.code.nodes_on_line(facts.line, ast.Call)
        if isinstance(node.func, ast.Name)
    }
    for node in shadowed:
        if node.id in called_on_line:
            new_name = f"my_{node.id}"
            fixed = facts.code.text
            for other in sorted(
                (
                    n
                    for n in facts.code.nodes()
                    if isinstance(n, ast.Name) and n.id == node.id and not _is_call_target(facts.code, n)
                ),
                key=lambda n: (n.lineno, n.col_offset),
                reverse=True,
            ):
                fixed = edits.replace_span(
                    fixed,
                    (other.lineno, other.col_offset),
                    (other.lineno, other.end_col_offset or 0),
                    new_name,
                )
            return Diagnosis(
                situation="type_error.shadowed_builtin",
                kind=_kind(facts, "something that is not a function is called like one"),
                pointer=(
                    f"Line {node.lineno} uses `{node.id}` as a variable name. That hides Python's built-in "
                    f"function `{node.id}()`, so on line {facts.line} `{node.id}(...)` calls your "
                    f"{type_name} instead."
                ),
                fix=f"Give your variable another name, such as `{new_name}`, so that `{node.id}()` is the "
                "built-in function again.",
                fixed_code=fixed,
                line=facts.line,
            )
    missing_operator = re.search(r"(\w|\))\s*\(", facts.text)
    number_call = re.search(r"(?<![\w.])(\d+(?:\.\d+)?|\))\s*\(", facts.text)
    if number_call and type_name in {"int", "float", "tuple"} and missing_operator:
        position = number_call.end() - 1
        fixed_line = facts.text[:position].rstrip() + " * " + facts.text[position:]
        return Diagnosis(
            situation="type_error.missing_operator",
            kind=_kind(facts, "a number is called like a function"),
            pointer=(
                f"On line {facts.line}, a number is directly followed by `(`. In maths `2(x + 1)` means "
                "multiply, "
                "but in Python brackets after a value mean 'call it as a function'."
            ),
            fix=f"Write the multiplication sign: `{fixed_line.strip()}`",
            fixed_code=edits.replace_line(facts.code.text, facts.line or 0, fixed_line)
            if facts.code.text
            else None,
            line=facts.line,
        )
    return Diagnosis(
        situation="type_error.not_callable",
        kind=_kind(facts, "something that is not a function is called like one"),
        pointer=(
            f"On line {facts.line}, a value of type `{type_name}` is followed by `(...)`, which means "
            "calling it. "
            f"Only functions (and classes) can be called; a `{type_name}` cannot."
        ),
        fix=(
            "Remove the brackets if you meant the value itself, use `[...]` if you meant an index, or check "
            "that "
            "the name still refers to the function and was not reused for a value."
        ),
        line=facts.line,
    )


def _is_call_target(code: SourceCode, name: ast.Name) -> bool:
    return any(isinstance(node, ast.Call) and node.func is name for node in code.nodes())


def _not_subscriptable(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"'(\w+)' object is not subscriptable", facts.message)
    if not found:
        return None
    type_name = found.group(1)
    if type_name in {"function", "builtin_function_or_method", "method", "type"}:
        call = re.search(r"\b([A-Za-z_]\w*)\[([^\]]*)\]", facts.text)
        fixed = None
        if call and facts.code.text:
            fixed = edits.replace_text(
                facts.code.text, facts.line or 0, call.group(0), f"{call.group(1)}({call.group(2)})"
            )
        return Diagnosis(
            situation="type_error.function_with_brackets",
            kind=_kind(facts, "square brackets are used on a function"),
            pointer=(
                f"On line {facts.line}, "
                + (f"`{call.group(1)}` is a function, " if call else "a function ")
                + "and it is followed by `[...]`. Square brackets pick an item out of a list, text or "
                "dictionary; a function is called with round brackets."
            ),
            fix="Call the function with round brackets"
            + (f": `{call.group(1)}({call.group(2)})`" if call else "."),
            fixed_code=fixed,
            line=facts.line,
        )
    return Diagnosis(
        situation="type_error.not_subscriptable",
        kind=_kind(facts, "square brackets are used on a value that has no items"),
        pointer=(
            f"On line {facts.line}, a value of type `{type_name}` is followed by `[...]`. Only sequences and "
            f"collections (text, lists, tuples, dictionaries) have items to pick; a `{type_name}` has none."
        ),
        fix=(
            f"Check which variable on that line holds the `{type_name}` (print it); you may have meant the "
            "list or "
            "text it came from, or reused the variable's name for a number."
        ),
        line=facts.line,
    )


def _not_iterable(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"'(\w+)' object is not iterable", facts.message)
    if not found:
        return None
    type_name = found.group(1)
    fixed = None
    loops = [node for node in facts.code.nodes_on_line(facts.line, ast.For)]
    if loops and type_name in {"int", "float"}:
        iterated = loops[0].iter
        fixed = edits.replace_span(
            facts.code.text,
            (iterated.lineno, iterated.col_offset),
            (iterated.end_lineno or iterated.lineno, iterated.end_col_offset or 0),
            f"range({expression_text(facts.code, iterated)})",
        )
    fixed_line = SourceCode.of(fixed).line(facts.line).strip() if fixed else None
    return Diagnosis(
        situation="type_error.not_iterable",
        kind=_kind(facts, "a loop (or unpacking) goes through a value that has no items"),
        pointer=(
            f"On line {facts.line}, Python was asked to go through the items of a `{type_name}`, one by one. "
            f"A `{type_name}` is a single value with no items to go through."
        ),
        fix=(
            "To repeat something a number of times, loop over `range(number)`"
            + (f": `{fixed_line}`" if fixed_line else ".")
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def _compare_text_and_number(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"'([<>=!]+)' not supported between instances of '(\w+)' and '(\w+)'", facts.message)
    if not found:
        return None
    return Diagnosis(
        situation="type_error.compare_different_types",
        kind=_kind(facts, "two values of different types are compared"),
        pointer=(
            f"On line {facts.line}, `{found.group(1)}` compares a `{found.group(2)}` with a "
            f"`{found.group(3)}`. "
            "Python only orders values of the same kind: numbers with numbers, text with text."
        ),
        fix="Convert one side so both have the same type, for example `int(text)` to turn text into a "
        "number.",
        line=facts.line,
    )


def _argument_count(facts: RuntimeFacts) -> Diagnosis | None:
    too_many = re.search(
        r"(\w+)\(\) takes (\d+) positional arguments? but (\d+) (?:were|was) given", facts.message
    )
    missing = re.search(r"(\w+)\(\) missing (\d+) required positional arguments?: (.+)$", facts.message)
    if not too_many and not missing:
        return None
    name = (too_many or missing).group(1)  # type: ignore[union-attr]
    method = next(
        (
            node
            for node in facts.code.nodes()
            if isinstance(node, ast.ClassDef)
            for node in node.body
            if isinstance(node, ast.FunctionDef) and node.name == name
        ),
        None,
    )
    if too_many and method is not None and (not method.args.args or method.args.args[0].arg != "self"):
        header = facts.code.line(method.lineno)
        fixed_header = header.replace(f"{name}(", f"{name}(self, " if method.args.args else f"{name}(self", 1)
        return Diagnosis(
            situation="type_error.missing_self",
            kind=_kind(facts, "a method received more arguments than it accepts"),
            pointer=(
                f"`{name}` is a method of a class (line {method.lineno}). When you call "
                f"`object.{name}(...)`, Python "
                f"passes the object itself as the first argument, and `{name}` has no parameter to receive "
                "it."
            ),
            fix=f"Add `self` as the first parameter of the method: `{fixed_header.strip()}`",
            fixed_code=edits.replace_line(facts.code.text, method.lineno, fixed_header),
            line=facts.line,
        )
    expected = (too_many.group(2) if too_many else None) or "?"
    return Diagnosis(
        situation="type_error.argument_count",
        kind=_kind(facts, "a function was called with the wrong number of arguments"),
        pointer=(
            f"On line {facts.line}, `{name}` is called with "
            + (
                f"{too_many.group(3)} arguments but its definition accepts {expected}."
                if too_many
                else f"too few arguments: it still needs {missing.group(3)}."  # type: ignore[union-attr]
            )
        ),
        fix=f"Compare the call with the `def {name}(...)` line: give exactly one value for each parameter, "
        "in the same order.",
        line=facts.line,
    )


def _unhashable(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"unhashable type: '(\w+)'", facts.message)
    if not found:
        return None
    return Diagnosis(
        situation="type_error.unhashable",
        kind=_kind(facts, "a changeable value is used as a dictionary key or set item"),
        pointer=(
            f"On line {facts.line}, a `{found.group(1)}` is used as a dictionary key or put in a set. Keys "
            "must "
            f"never change, and a `{found.group(1)}` can change, so Python refuses it."
        ),
        fix="Use an unchangeable version of it: a `tuple(...)` instead of a list, a `frozenset(...)` "
        "instead of a set.",
        line=facts.line,
    )


def _index_type(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(
        r"(string|list|tuple) indices must be integers(?: or slices)?(?:, not '?(\w+)'?)?", facts.message
    )
    if not found:
        return None
    wrong = found.group(2) or "str"
    fixed = None
    if wrong == "float":
        for node in facts.code.nodes():
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Div)
                and node.lineno <= (facts.line or 0)
            ):
                divided = expression_text(facts.code, node)
                fixed = edits.replace_text(
                    facts.code.text, node.lineno, divided, divided.replace("/", "//", 1)
                )
    return Diagnosis(
        situation="type_error.index_type",
        kind=_kind(facts, f"a position in a {found.group(1)} is given as a {wrong}"),
        pointer=(
            f"On line {facts.line}, the value inside `[...]` is a `{wrong}`, but positions in a "
            f"{found.group(1)} are "
            "whole numbers (0, 1, 2, ...)."
            + (" Dividing with `/` always gives a float, even 4 / 2 gives 2.0." if wrong == "float" else "")
            + (
                " When you loop with `for item in ...`, `item` is already the element, not its position."
                if wrong == "str"
                else ""
            )
        ),
        fix=(
            "Use `//` for a division whose result is a position."
            if wrong == "float"
            else "Use the element directly, or loop over `range(len(...))` / `enumerate(...)` to get "
            "positions."
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def _immutable(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"'(str|tuple)' object does not support item assignment", facts.message)
    if not found:
        return None
    return Diagnosis(
        situation="type_error.immutable",
        kind=_kind(facts, f"one item of a {found.group(1)} is changed"),
        pointer=(
            f"On line {facts.line}, `[...] = ` tries to change one item of a `{found.group(1)}`, but a "
            f"`{found.group(1)}` cannot be changed once created."
        ),
        fix=(
            "Build a new text instead, e.g. `word = word[:i] + new + word[i + 1:]`, or work on `list(word)` "
            "and "
            "join it back with `''.join(...)`."
            if found.group(1) == "str"
            else "Use a list, which can be changed, or build a new tuple."
        ),
        line=facts.line,
    )


def _no_len(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"object of type '(\w+)' has no len\(\)", facts.message)
    if not found:
        return None
    return Diagnosis(
        situation="type_error.no_len",
        kind=_kind(facts, "the length of a value that has no length is asked for"),
        pointer=f"On line {facts.line}, `len()` is given a `{found.group(1)}`, which is a single value, "
        "not a collection.",
        fix=(
            "For the number of digits, use `len(str(number))`; otherwise pass the list or text you meant."
            if found.group(1) in {"int", "float"}
            else "Pass `len()` the list, text or dictionary you meant."
        ),
        line=facts.line,
    )


# ValueError ----------------------------------------------------------------------------------


def _bad_number_text(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"invalid literal for int\(\) with base \d+: (.*)$", facts.message) or re.search(
        r"could not convert string to float: (.*)$", facts.message
    )
    if not found:
        return None
    value = found.group(1)
    looks_decimal = re.fullmatch(r"'\s*-?\d+\.\d*\s*'", value) is not None
    fixed = None
    if looks_decimal and facts.code.text:
        fixed = edits.replace_text(facts.code.text, facts.line or 0, "int(", "float(")
    return Diagnosis(
        situation="value_error.not_a_number",
        kind=_kind(facts, "a piece of text could not be turned into a number"),
        pointer=(
            f"On line {facts.line}, the text {value} was converted to a number, but "
            + (
                "it has a decimal point, and `int()` only accepts whole numbers."
                if looks_decimal
                else "it is empty (nothing was typed)."
                if value in {"''", '""'}
                else "it is not made of digits."
            )
        ),
        fix=(
            "Use `float(...)` for numbers with a decimal point."
            if looks_decimal
            else "Check the text before converting it (`text.isdigit()`), or catch the error with "
            "`try: ... except ValueError:` and ask again."
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def _math_domain(facts: RuntimeFacts) -> Diagnosis | None:
    if "math domain error" not in facts.message:
        return None
    return Diagnosis(
        situation="value_error.math_domain",
        kind=_kind(facts, "a maths function was given a value outside what it accepts"),
        pointer=(
            f"On line {facts.line}, a function of `math` received a value it has no answer for, such as the "
            "square "
            "root or the logarithm of a negative number."
        ),
        fix="Check the value before the call (e.g. `if x >= 0:`), or use `abs(x)` if the sign does not "
        "matter.",
        line=facts.line,
    )


def _unpacking(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(
        r"(too many|not enough) values to unpack \(expected (\d+)(?:, got (\d+))?\)", facts.message
    )
    if not found:
        return None
    fixed = None
    for loop in facts.code.nodes_on_line(facts.line, ast.For):
        if isinstance(loop.target, ast.Tuple) and isinstance(loop.iter, ast.Name):
            iterated = expression_text(facts.code, loop.iter)
            fixed = edits.replace_text(
                facts.code.text, loop.lineno, f"in {iterated}:", f"in {iterated}.items():"
            )
    return Diagnosis(
        situation="value_error.unpacking",
        kind=_kind(facts, "values are spread over a different number of names"),
        pointer=(
            f"On line {facts.line}, {found.group(2)} names receive the parts of a value that has "
            + (f"{found.group(3)} parts." if found.group(3) else "more parts than that.")
            + " The number of names on the left must equal the number of items on the right."
        ),
        fix=(
            "To loop over a dictionary's keys and values together, use `.items()`."
            if fixed
            else "Make the number of names match the number of items (print the value to see how many it "
            "has)."
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def _not_in_list(facts: RuntimeFacts) -> Diagnosis | None:
    if not re.search(r"x not in list|is not in list", facts.message):
        return None
    return Diagnosis(
        situation="value_error.not_in_list",
        kind=_kind(facts, "a list was asked for an item it does not contain"),
        pointer=(
            f"On line {facts.line}, `.remove()` or `.index()` looks for a value that is not in the list. "
            "Unlike `in`, these methods raise an error when the value is missing."
        ),
        fix="Check first: `if value in items: items.remove(value)`.",
        line=facts.line,
    )


# IndexError, KeyError, AttributeError ------------------------------------------------------------


def _index_error(facts: RuntimeFacts) -> Diagnosis | None:
    if "pop from empty list" in facts.message:
        return Diagnosis(
            situation="index_error.pop_empty",
            kind=_kind(facts, "an item was taken out of an empty list"),
            pointer=f"On line {facts.line}, `.pop()` is called on a list that has no items left.",
            fix="Check that the list is not empty first: `if items: value = items.pop()`.",
            line=facts.line,
        )
    if "empty sequence" in facts.message:
        return Diagnosis(
            situation="index_error.empty_sequence",
            kind=_kind(facts, "something was picked out of an empty sequence"),
            pointer=f"On line {facts.line}, a function that picks an item (like `random.choice`) got a "
            "list with no items.",
            fix="Check that the list is not empty before picking from it: `if options: pick = "
            "random.choice(options)`.",
            line=facts.line,
        )
    found = re.search(r"(list|string|tuple|range object) index out of range", facts.message)
    if not found:
        return None
    off_by_one = logic_problem_near(facts.code, facts.line, {"logic.off_by_one"})
    if off_by_one is not None:
        return off_by_one.model_copy(
            update={
                "kind": _kind(facts, "a position past the end of a sequence was used") + " " + off_by_one.kind
            }
        )
    subscripts = facts.code.nodes_on_line(facts.line, ast.Subscript)
    shown = expression_text(facts.code, subscripts[0]) if subscripts else None
    return Diagnosis(
        situation="index_error.out_of_range",
        kind=_kind(facts, f"a position that does not exist in a {found.group(1).split()[0]} was used"),
        pointer=(
            f"On line {facts.line}, "
            + (f"`{shown}` " if shown else "an index ")
            + "asks for a position the sequence does not have. A sequence of n items has positions 0 to "
            "n - 1; an empty one has none."
        ),
        fix=(
            "Print the length and the index just before that line. Loop with `for item in items:` or "
            "`range(len(items))`, and check `if i < len(items):` before using a computed position."
        ),
        line=facts.line,
    )


def _dictionary_keys(code: SourceCode) -> set[str]:
    keys: set[str] = set()
    for node in code.nodes():
        if isinstance(node, ast.Dict):
            keys |= {
                key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)
            }
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                keys.add(node.slice.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            keys |= {keyword.arg for keyword in node.keywords if keyword.arg}
    return keys


def _key_error(facts: RuntimeFacts) -> Diagnosis | None:
    key = facts.message.strip()
    if not key:
        return None
    bare = key[1:-1] if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"" else key
    keys = _dictionary_keys(facts.code)
    close = close_matches(bare, keys)
    kind = _kind(facts, f"a dictionary was asked for the key {key}, which it does not have")
    if bare in keys and close:
        return Diagnosis(
            situation="key_error.key_missing_in_some",
            kind=kind,
            pointer=(
                f"Some dictionaries in your program have the key {key}, but the one used on line "
                f"{facts.line} does not. "
                f"One of them has `'{close[0]}'` instead: the data itself may be misspelled."
            ),
            fix=(
                f"Make every dictionary use the same key (correct `'{close[0]}'` to {key} in the data), or "
                "read it with "
                f"`d.get({key}, default)` where it may be missing."
            ),
            line=facts.line,
            suggestions=tuple(close),
        )
    if close and key[0] in "'\"":
        best = close[0]
        fixed = None
        for quote in ("'", '"'):
            fixed = edits.replace_text(
                facts.code.text, facts.line or 0, f"{quote}{bare}{quote}", f"{quote}{best}{quote}"
            )
            if fixed:
                break
        return Diagnosis(
            situation="key_error.close_key",
            kind=kind,
            pointer=(
                f"On line {facts.line}, the key {key} is looked up, but the dictionary's keys are spelled "
                "differently. "
                "Keys must match exactly, including upper and lower case and spaces."
            ),
            fix=f"Did you mean the key `'{best}'`? Keys your program defines that look alike: "
            + ", ".join(f"`'{other}'`" for other in close),
            fixed_code=fixed,
            line=facts.line,
            suggestions=tuple(close),
        )
    return Diagnosis(
        situation="key_error.missing_key",
        kind=kind,
        pointer=(
            f"On line {facts.line}, `[{key}]` looks up a key that the dictionary does not contain at that "
            "moment. "
            "Square brackets raise an error for a missing key."
        ),
        fix=(
            f"Check first with `if {key} in d:`, or use `d.get({key}, default)`, which gives `default` when "
            "the key "
            "is missing. When counting, start each key at 0: `counts[word] = counts.get(word, 0) + 1`."
        ),
        line=facts.line,
    )


def _attribute_error(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"'(\w+)' object has no attribute '(\w+)'", facts.message)
    module = re.search(r"module '([\w.]+)' has no attribute '(\w+)'", facts.message)
    if module:
        return _module_attribute(facts, module.group(1), module.group(2))
    if not found:
        return None
    type_name, attribute = found.group(1), found.group(2)
    kind = _kind(facts, f"a `{type_name}` value has nothing called `{attribute}`")
    if type_name == "NoneType":
        none_help = _none_result(facts)
        if none_help is not None:
            return none_help.model_copy(update={"kind": kind})
    wrong = _WRONG_ATTRIBUTES.get((type_name, attribute))
    candidates = _attributes_of(facts.code, type_name)
    close = [wrong] if wrong else close_matches(attribute, candidates)
    hinted = re.search(r"Did you mean: '(\w+)'", facts.message)
    if hinted and hinted.group(1) not in close:
        close.insert(0, hinted.group(1))
    fixed = None
    if close and is_identifier(close[0]) and facts.code.text:
        fixed = edits.replace_text(facts.code.text, facts.line or 0, f".{attribute}", f".{close[0]}")
    if close:
        best = close[0]
        advice = (
            "use `len(...)`: the length is asked with a function, not a method"
            if best == "len()"
            else f"use the `{best}` operator instead"
            if not is_identifier(best)
            else f"did you mean `.{best}`?"
        )
        return Diagnosis(
            situation="attribute_error.close_attribute",
            kind=kind,
            pointer=(
                f"On line {facts.line}, `.{attribute}` is used on a `{type_name}`, but a `{type_name}` has "
                "no method or "
                "attribute with that name. Check its spelling and whether it belongs to this type of value."
            ),
            fix=f"For a `{type_name}`, {advice}"
            + (f" (close names: {', '.join(f'`{name}`' for name in close[1:])})" if len(close) > 1 else ""),
            fixed_code=fixed,
            line=facts.line,
            suggestions=tuple(close),
        )
    return Diagnosis(
        situation="attribute_error.unknown_attribute",
        kind=kind,
        pointer=(
            f"On line {facts.line}, `.{attribute}` is used on a value of type `{type_name}`, which has no "
            "method or "
            "attribute of that name. Maybe the variable holds another type of value than you think."
        ),
        fix=f"Print `type(...)` of the value before that line, and look at what a `{type_name}` offers "
        "with `dir(...)`.",
        line=facts.line,
    )


def _attributes_of(code: SourceCode, type_name: str) -> set[str]:
    builtin = _BUILTIN_TYPES.get(type_name)
    if builtin is not None:
        return {name for name in dir(builtin) if not name.startswith("_")}
    attributes: set[str] = set()
    for node in code.nodes():
        if isinstance(node, ast.ClassDef) and node.name == type_name:
            for inner in ast.walk(node):
                if isinstance(inner, ast.FunctionDef):
                    attributes.add(inner.name)
                elif isinstance(inner, ast.Attribute) and isinstance(inner.ctx, ast.Store):
                    attributes.add(inner.attr)
                elif isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                    attributes.add(inner.id)
    return attributes


def _module_members(module: str) -> set[str]:
    if module not in _MODULES_SAFE_TO_INSPECT:
        return set()
    imported = sys.modules.get(module)
    if imported is None:
        imported = __import__(module)
    return {name for name in dir(imported) if not name.startswith("_")}


def _module_attribute(facts: RuntimeFacts, module: str, attribute: str) -> Diagnosis:
    kind = _kind(facts, f"the module `{module}` has nothing called `{attribute}`")
    if "circular import" in facts.message or "partially initialized" in facts.message:
        return Diagnosis(
            situation="attribute_error.file_named_like_module",
            kind=kind,
            pointer=(
                f"Your own file is probably named `{module}.py`. Then `import {module}` imports your file "
                "instead of "
                "Python's module, and your file has no such name."
            ),
            fix=f"Rename your file (for example to `my_{module}.py`) and delete any `__pycache__` folder "
            "next to it.",
            line=facts.line,
        )
    close = close_matches(attribute, _module_members(module))
    hinted = re.search(r"Did you mean: '(\w+)'", facts.message)
    if hinted and hinted.group(1) not in close:
        close.insert(0, hinted.group(1))
    fixed = (
        edits.replace_text(facts.code.text, facts.line or 0, f"{module}.{attribute}", f"{module}.{close[0]}")
        if close and facts.code.text
        else None
    )
    return Diagnosis(
        situation="attribute_error.module_attribute",
        kind=kind,
        pointer=f"On line {facts.line}, `{module}.{attribute}` names something the `{module}` module does "
        "not have.",
        fix=(
            f"Did you mean `{module}.{close[0]}`?"
            if close
            else f"Look up what `{module}` offers with `help({module})`."
        ),
        fixed_code=fixed,
        line=facts.line,
        suggestions=tuple(close),
    )


# other runtime errors --------------------------------------------------------------------------


def _zero_division(facts: RuntimeFacts) -> Diagnosis | None:
    divisions = [
        node
        for node in facts.code.nodes_on_line(facts.line, ast.BinOp)
        if isinstance(node.op, ast.Div | ast.FloorDiv | ast.Mod)
    ]
    divisor = expression_text(facts.code, divisions[0].right) if divisions else None
    fixed = None
    if divisions:
        division = divisions[0]
        whole = expression_text(facts.code, division)
        guarded = f"({whole} if {divisor} != 0 else 0)"
        fixed = edits.replace_span(
            facts.code.text,
            (division.lineno, division.col_offset),
            (division.end_lineno or division.lineno, division.end_col_offset or 0),
            guarded,
        )
    empty = divisor is not None and divisor.startswith("len(")
    return Diagnosis(
        situation="zero_division",
        kind=_kind(facts, "a number was divided by zero"),
        pointer=(
            f"On line {facts.line}, "
            + (f"the divisor `{divisor}` is 0 at that moment" if divisor else "the number you divide by is 0")
            + (" (the list is empty)" if empty else "")
            + ". Dividing by zero has no answer, in maths as in Python."
        ),
        fix=(
            f"Check the divisor before dividing, for example `if {divisor or 'divisor'} != 0:` (or `if "
            "items:` for a "
            "list), and decide what the answer should be when it is 0."
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def _module_not_found(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"No module named '([\w.]+)'", facts.message)
    if not found:
        return None
    module = found.group(1)
    top = module.split(".")[0]
    close = close_matches(top, set(sys.stdlib_module_names) - {"this", "antigravity"})
    kind = _kind(facts, f"Python cannot find a module called `{module}`")
    if top in _THIRD_PARTY:
        return Diagnosis(
            situation="module_not_found.not_installed",
            kind=kind,
            pointer=(
                f"`{top}` is not part of Python's standard library: it is a separate package that must be "
                "installed. "
                "It is not available where your code runs."
            ),
            fix=f"On your own computer, install it with `pip install {top}`; here, solve the exercise with "
            "the standard library.",
            line=facts.line,
        )
    if close:
        fixed = (
            edits.replace_word(facts.code.text, facts.line or 0, top, close[0]) if facts.code.text else None
        )
        return Diagnosis(
            situation="module_not_found.typo",
            kind=kind,
            pointer=f"On line {facts.line}, `{module}` is imported, but no module has exactly that name.",
            fix=f"Did you mean the standard module `{close[0]}`?",
            fixed_code=fixed,
            line=facts.line,
            suggestions=tuple(close),
        )
    return Diagnosis(
        situation="module_not_found.unknown",
        kind=kind,
        pointer=(
            f"On line {facts.line}, `import {module}` looks for a module that is neither in Python's "
            "standard library "
            "nor a file next to your program."
        ),
        fix=f"Check the spelling; if `{module}` is your own file, make sure `{module}.py` is in the same "
        "folder.",
        line=facts.line,
    )


def _import_error(facts: RuntimeFacts) -> Diagnosis | None:
    found = re.search(r"cannot import name '(\w+)' from '([\w.]+)'", facts.message)
    if not found:
        return None
    name, module = found.group(1), found.group(2)
    if "circular import" in facts.message or "partially initialized" in facts.message:
        return _module_attribute(facts, module, name)
    close = close_matches(name, _module_members(module))
    fixed = (
        edits.replace_word(facts.code.text, facts.line or 0, name, close[0])
        if close and facts.code.text
        else None
    )
    return Diagnosis(
        situation="import_error.unknown_name",
        kind=_kind(facts, f"`{name}` could not be imported from `{module}`"),
        pointer=f"On line {facts.line}, `from {module} import {name}` asks for a name that `{module}` does "
        "not have.",
        fix=f"Did you mean `{close[0]}`?"
        if close
        else f"Check the exact name in the documentation of `{module}`.",
        fixed_code=fixed,
        line=facts.line,
        suggestions=tuple(close),
    )


def _recursion(facts: RuntimeFacts) -> Diagnosis | None:
    recursive = [
        function
        for function in facts.code.nodes()
        if isinstance(function, ast.FunctionDef)
        and any(
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function.name
            for node in ast.walk(function)
        )
    ]
    kind = _kind(facts, "a function kept calling itself until Python stopped it")
    if not recursive:
        return Diagnosis(
            situation="recursion.too_deep",
            kind=kind,
            pointer="Functions called each other more than about 1000 levels deep, so Python stopped the "
            "program.",
            fix="Make sure every chain of calls reaches a case that returns without calling again.",
            line=facts.line,
        )
    function = recursive[0]
    has_base = any(
        isinstance(node, ast.If)
        and any(
            isinstance(inner, ast.Return)
            and not any(
                isinstance(call, ast.Call) and getattr(call.func, "id", None) == function.name
                for call in ast.walk(inner)
            )
            for inner in ast.walk(node)
        )
        for node in ast.walk(function)
    )
    parameters = [argument.arg for argument in function.args.args]
    same_arguments = [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == function.name
        and [ast.unparse(argument) for argument in node.args] == parameters
    ]
    if has_base and same_arguments and parameters:
        call = same_arguments[0]
        first = parameters[0]
        fixed_call = f"{function.name}({', '.join([f'{first} - 1', *parameters[1:]])})"
        fixed = edits.replace_text(
            facts.code.text, call.lineno, expression_text(facts.code, call), fixed_call
        )
        return Diagnosis(
            situation="recursion.no_progress",
            kind=kind,
            pointer=(
                f"`{function.name}` (line {function.lineno}) calls itself with exactly the arguments it "
                "received, "
                f"so each call is the same problem again and never gets closer to its base case."
            ),
            fix=f"Call it on a smaller problem, e.g. `{fixed_call}`, so that the base case is eventually "
            "reached.",
            fixed_code=fixed,
            line=call.lineno,
        )
    return Diagnosis(
        situation="recursion.no_base_case" if not has_base else "recursion.base_case_not_reached",
        kind=kind,
        pointer=(
            f"`{function.name}` (line {function.lineno}) calls itself, "
            + (
                "but has no base case: no `if` that returns without calling again."
                if not has_base
                else "and its base case is never reached with these arguments (check its condition and the "
                "argument of the recursive call)."
            )
        ),
        fix=(
            f"Start `{function.name}` with a base case, e.g. `if n <= 0: return ...`, and make every "
            "recursive call "
            "work on a smaller value."
        ),
        line=facts.line,
    )


def _file_not_found(facts: RuntimeFacts) -> Diagnosis | None:
    path = _quoted(facts.message.partition(":")[2]) or _quoted(facts.message)
    return Diagnosis(
        situation="file_not_found",
        kind=_kind(facts, "a file could not be found"),
        pointer=(
            f"On line {facts.line}, Python looked for the file `{path or '?'}` and it is not there. A name "
            "without a "
            "folder is looked up in the folder the program runs from, which is not always the folder of the "
            "script."
        ),
        fix=(
            "Check the file's exact name and extension (`data.txt` vs `data.csv`), and where it is; use its "
            "full path, "
            "or build it from the script's folder with `pathlib.Path(__file__).parent / 'data.txt'`."
        ),
        line=facts.line,
    )


def _assertion(facts: RuntimeFacts) -> Diagnosis | None:
    asserts = facts.code.nodes_on_line(facts.line, ast.Assert)
    condition = expression_text(facts.code, asserts[0].test) if asserts else None
    return Diagnosis(
        situation="assertion_error",
        kind=_kind(facts, "an `assert` found its condition false"),
        pointer=(
            f"On line {facts.line}, "
            + (f"`assert {condition}` " if condition else "an assertion ")
            + "checks something that should be true at that point, and it was not"
            + (f": {facts.message}" if facts.message else "")
            + ". The assertion is right to complain: the values before it are not what it expects."
        ),
        fix=(
            "Print the values the condition uses just before the assert, and trace back where the wrong "
            "one comes from."
        ),
        line=facts.line,
    )


def _stop_iteration(facts: RuntimeFacts) -> Diagnosis | None:
    calls = [
        node
        for node in facts.code.nodes_on_line(facts.line, ast.Call)
        if isinstance(node.func, ast.Name) and node.func.id == "next" and len(node.args) == 1
    ]
    fixed = None
    if calls:
        shown = expression_text(facts.code, calls[0])
        fixed = edits.replace_text(
            facts.code.text,
            facts.line or 0,
            shown,
            f"next({expression_text(facts.code, calls[0].args[0])}, None)",
        )
    return Diagnosis(
        situation="stop_iteration",
        kind=_kind(facts, "an iterator had no items left"),
        pointer=(
            f"On line {facts.line}, `next(...)` asked for the next item of an iterator that was already "
            "used up. "
            "An iterator can be gone through only once."
        ),
        fix="Give `next` a default for when nothing is left, `next(iterator, None)`, or loop with `for "
        "item in iterator:`.",
        fixed_code=fixed,
        line=facts.line,
    )


def _changed_during_iteration(facts: RuntimeFacts) -> Diagnosis | None:
    if "changed size during iteration" not in facts.message:
        return None
    loops = [
        loop for loop in facts.code.nodes() if isinstance(loop, ast.For) and isinstance(loop.iter, ast.Name)
    ]
    fixed = None
    if loops:
        loop = min(loops, key=lambda loop: abs(loop.lineno - (facts.line or 0)))
        name = loop.iter.id  # type: ignore[attr-defined]
        fixed = edits.replace_text(facts.code.text, loop.lineno, f"in {name}:", f"in list({name}):")
    return Diagnosis(
        situation="logic.modify_while_iterating",
        kind=_kind(facts, "a dictionary or set changed while a loop went through it"),
        pointer=(
            f"The loop near line {facts.line} adds or removes keys of the dictionary (or set) it is going "
            "through. "
            "Python cannot keep its place when the collection changes under it."
        ),
        fix="Loop over a copy of the keys, `for key in list(d):`, and change the original inside the loop.",
        fixed_code=fixed,
        line=facts.line,
    )


def _eof(facts: RuntimeFacts) -> Diagnosis | None:
    return Diagnosis(
        situation="eof_error.no_input",
        kind=_kind(facts, "`input()` had nothing left to read"),
        pointer=(
            f"On line {facts.line}, `input()` waited for a line to read, but the input was empty or "
            "already used up."
        ),
        fix="Provide the input your program asks for (one line per `input()` call), or check that it asks "
        "only as often as needed.",
        line=facts.line,
    )


def _generic(facts: RuntimeFacts) -> Diagnosis:
    return Diagnosis(
        situation=f"{facts.error_type.lower()}.other",
        kind=_kind(facts, "something went wrong while the program ran"),
        pointer=(
            f"On line {facts.line}, Python raised `{facts.error_type}`"
            + (f' with the message "{facts.message}"' if facts.message else "")
            + ". Read the message word by word: it names what Python could not do."
        ),
        fix="Print the values used on that line just before it runs, to see which one is not what you "
        "expect.",
        line=facts.line,
    )


_SITUATIONS: dict[str, tuple[Callable[[RuntimeFacts], Diagnosis | None], ...]] = {
    "NameError": (_name_error,),
    "UnboundLocalError": (_unbound_local,),
    "TypeError": (
        _input_not_converted,
        _none_result,
        _str_plus_number,
        _not_callable,
        _not_subscriptable,
        _not_iterable,
        _compare_text_and_number,
        _argument_count,
        _unhashable,
        _index_type,
        _immutable,
        _no_len,
    ),
    "ValueError": (_bad_number_text, _unpacking, _not_in_list, _math_domain),
    "IndexError": (_index_error,),
    "KeyError": (_key_error,),
    "AttributeError": (_attribute_error,),
    "ZeroDivisionError": (_zero_division,),
    "ModuleNotFoundError": (_module_not_found,),
    "ImportError": (_import_error, _module_not_found),
    "RecursionError": (_recursion,),
    "FileNotFoundError": (_file_not_found,),
    "AssertionError": (_assertion,),
    "StopIteration": (_stop_iteration,),
    "RuntimeError": (_changed_during_iteration,),
    "EOFError": (_eof,),
}
