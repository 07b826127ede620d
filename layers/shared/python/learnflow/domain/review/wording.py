"""Findings in words a beginner understands, and how much each matters (its severity)."""

import re

from learnflow.domain.review.models import Severity

# the checkers' codes this module rewrites; others keep the tool's message
_FRIENDLY: dict[str, str] = {
    "F401": "{name} is imported but never used: remove the import to keep the program tidy.",
    "F841": "{name} gets a value that is never used afterwards: remove it, or use it.",
    "F821": "{name} is used but never defined: the program will stop with a NameError here.",
    "F811": "{name} is defined a second time and replaces the first definition.",
    "F632": "`is` compares identity, not value: use `==` to compare with a number or a string.",
    "E711": "Compare with `None` using `is None` (or `is not None`), not `==`.",
    "E712": "No need to compare with `True` or `False`: write `if x:` or `if not x:`.",
    "E713": "Write `x not in items`: it reads better than `not x in items`.",
    "E714": "Write `x is not y`: it reads better than `not x is y`.",
    "E721": "Use `isinstance(value, type)` to check a value's type.",
    "E722": "A bare `except:` also catches errors you did not expect (even Ctrl-C): name the error, "
    "e.g. `except ValueError:`.",
    "E731": "A `lambda` stored in a variable is better written as a `def` function with a name.",
    "E741": "{name} is easy to confuse with 1 or 0: choose a more descriptive name.",
    "E225": "Put spaces around operators such as `=`, `==` and `+` (PEP 8).",
    "E226": "Put spaces around arithmetic operators (PEP 8).",
    "E231": "Put a space after each comma (PEP 8).",
    "E261": "Put two spaces before an inline comment (PEP 8).",
    "E262": "An inline comment starts with `# ` (PEP 8).",
    "E265": "A comment starts with `# ` (PEP 8).",
    "E302": "Leave two blank lines before a function or class definition (PEP 8).",
    "E303": "Too many blank lines here: at most two (PEP 8).",
    "E305": "Leave two blank lines after a function or class definition (PEP 8).",
    "E111": "Indent with a multiple of four spaces (PEP 8).",
    "E117": "This block is indented too far (PEP 8 uses four spaces).",
    "E201": "No space just inside an opening bracket (PEP 8).",
    "E202": "No space just inside a closing bracket (PEP 8).",
    "E203": "No space before a comma or colon (PEP 8).",
    "E211": "No space before the brackets of a call (PEP 8).",
    "E251": "No spaces around `=` in a keyword argument (PEP 8).",
    "W291": "Remove the spaces at the end of the line.",
    "W293": "Remove the spaces on this blank line.",
    "W391": "Remove the blank lines at the end of the file.",
    "N802": "Function names are written in lower_case_with_underscores (PEP 8).",
    "N803": "Parameter names are written in lower_case_with_underscores (PEP 8).",
    "N806": "Variable names in a function are written in lower_case_with_underscores (PEP 8).",
    "N801": "Class names are written in CapWords (PEP 8).",
    "N816": "Variable names are written in lower_case_with_underscores (PEP 8).",
    "B006": "A list, dict or set as default value is created once and shared by every call: use `None` "
    "and create it inside the function.",
    "B007": "The loop variable {name} is not used in the loop: name it `_` to say so.",
    "B008": "A function call in a default value runs only once, when the function is defined.",
    "A001": "{name} hides Python's built-in function of the same name: choose another name.",
    "A002": "The parameter {name} hides Python's built-in function of the same name: choose another name.",
    "ARG001": "The parameter {name} is never used in the function.",
    "SIM108": "This `if`/`else` can be one line: `x = a if condition else b`.",
    "SIM110": "This loop can be written with `any(...)`.",
    "SIM111": "This loop can be written with `all(...)`.",
    "SIM102": "These nested `if`s can be one `if` joined with `and`.",
    "SIM103": "Return the condition directly instead of `if ...: return True else: return False`.",
    "SIM118": "Write `key in d` instead of `key in d.keys()`.",
    "RET504": "No need to store the value in a variable just to return it: return it directly.",
    "RET505": "No `else` is needed after `return`: the code below runs only when the `if` did not return.",
    "PERF401": "Build this list with a list comprehension: `[... for item in items]`.",
    "PLR1714": "Several `==` comparisons of one value can be one `in`: `x in (a, b)`.",
    "PLR5501": "Write `elif` instead of an `if` nested in `else`.",
    "PLW0602": "{name} is declared `global` but never assigned here.",
    "PLW0603": "Changing a global variable from a function makes programs hard to follow: pass values in "
    "and return results instead.",
    "UP031": "Use an f-string instead of `%` formatting.",
    "UP032": "Use an f-string instead of `.format(...)`.",
    "C0200": "Looping over `range(len(items))` and then `items[i]`: use `for i, item in enumerate(items)`.",
    "C0201": "Loop over the dictionary itself (`for key in d`), not `d.keys()`.",
    "C0301": "This line is longer than 100 characters: split it so it fits on the screen.",
    "C0116": "This function has no docstring: say in one line what it does.",
    "E1101": "{detail}: this value has no such attribute or method.",
    "E1111": "The function called here returns nothing, so the variable receives `None`.",
    "E1120": "A call gives fewer values than the function's parameters need: {detail}.",
    "E1121": "A call gives more values than the function has parameters.",
    "R1705": "No `else` is needed after `return`.",
    "R1710": "Some paths of this function return a value and others return nothing (`None`): make every "
    "path `return` something.",
    "R0912": "This function has many branches: split it into smaller functions.",
    "R0915": "This function has many statements: split it into smaller functions.",
    "R1702": "Blocks are nested very deeply here: return early or move inner parts into functions.",
    "R0913": "This function takes many arguments: group related values (a dict or a class).",
    "W0104": "This statement does nothing: did you mean `=` instead of `==`?",
    "W0106": "The result of this expression is not used.",
    "W0101": "This code can never run: it comes after a `return`, `break` or `raise`.",
    "W0603": "Changing a global variable from a function makes programs hard to follow.",
    "W0621": "{detail}: a parameter or variable hides a name of the main program.",
    "W0631": "The loop variable is used after the loop, where it may not exist if the loop never ran.",
}

_ERRORS = ("F821", "F822", "F823", "E9", "PLE", "E1", "E0")
_WARNINGS = ("F", "B", "A", "ARG", "PLW", "W0", "R1710", "E711", "E712", "E721", "E722", "E741", "F632")
_STYLE = ("E1", "E2", "E3", "E5", "W1", "W2", "W3", "W6", "N", "C0301", "C0116", "C0103")


def severity_of(tool: str, code: str) -> Severity:
    if tool == "pylint":
        return {"E": "error", "W": "warning", "R": "suggestion", "C": "style"}.get(code[:1], "suggestion")  # type: ignore[return-value]
    if code.startswith(("E1", "E2", "E3", "E5")) or code.startswith(("W2", "W3", "W6", "N")):
        return "style"
    if code.startswith(("F821", "F822", "F823", "E9", "PLE")):
        return "error"
    if code.startswith(_WARNINGS):
        return "warning"
    return "suggestion"


def friendly(code: str, message: str) -> str | None:
    """The beginner's wording of a finding, or None to keep the tool's message."""
    template = _FRIENDLY.get(code)
    if template is None:
        return None
    names = re.findall(r"`([^`]+)`|'([^']+)'", message)
    name = next((first or second for first, second in names), None)
    detail = re.sub(r"\s*\([a-z-]+\)$", "", message)
    return template.format(name=f"`{name}`" if name else "This name", detail=detail)
