"""The debug agent's analysis: find the error, explain it in three hints, verify the fix.

How the error is found, in order:
1. the traceback the student pasted, when it names one (the line is mapped into the code);
2. the compiler, for code Python cannot read (exact, and nothing runs);
3. the sandbox, for code alone: it is run and its real error read;
4. otherwise the code ran cleanly (or could not be run): logic checks look for mistakes that do
   not raise, such as a missing `return` or a mutable default argument.
"""

import ast
import re

from learnflow.domain.debugging.edits import changed_lines
from learnflow.domain.debugging.logic_checks import find_logic_problems
from learnflow.domain.debugging.models import DebugAnalysis, Diagnosis, FoundBy, Frame, Hint, ParsedError
from learnflow.domain.debugging.rules import (
    SYNTAX_TYPES,
    RuntimeFacts,
    SyntaxFacts,
    compile_error,
    diagnose_runtime,
    diagnose_syntax,
)
from learnflow.domain.debugging.running import sample_stdin
from learnflow.domain.debugging.source import SourceCode
from learnflow.domain.debugging.tracebacks import parse_traceback
from learnflow.domain.errors import SandboxUnavailableError
from learnflow.domain.ports import Sandbox
from learnflow.domain.sandbox_results import ExecutionResult

# what a sandbox outcome other than an exception means for a student, as an error type
_OUTCOME_TYPES = {
    "timeout": "Timeout",
    "memory_limit": "MemoryError",
    "output_limit": "OutputLimit",
    "blocked": "Blocked",
}


def analyze(
    code: str, error: str | None = None, runner: Sandbox | None = None, stdin: str | None = None
) -> DebugAnalysis:
    source = SourceCode.of(code)
    compiled = compile_error(code)
    parsed = parse_traceback(error, code) if error and error.strip() else None
    input_text = stdin if stdin is not None else sample_stdin(code)
    if (
        parsed is not None
        and parsed.line is None
        and parsed.error_type not in SYNTAX_TYPES
        and runner is not None
    ):
        parsed = _reproduced(parsed, source, runner, input_text)
    if parsed is not None:
        return _from_traceback(parsed, source, compiled, runner, input_text)
    if compiled is not None:
        diagnosis = diagnose_syntax(compiled)
        return _answer(
            diagnosis,
            code=code,
            error_type=compiled.error_type,
            message=compiled.message,
            line=compiled.line,
            column=compiled.column,
            found_by="compiler",
            runner=runner,
            stdin=input_text,
        )
    if runner is not None:
        try:
            return _from_run(source, runner, input_text)
        except SandboxUnavailableError:
            pass  # explain what can be seen without running it
    return _without_error(source, found_by="static_analysis", ran=False)


def _from_traceback(
    parsed: ParsedError,
    source: SourceCode,
    compiled: SyntaxFacts | None,
    runner: Sandbox | None,
    stdin: str,
) -> DebugAnalysis:
    line = parsed.line if parsed.line is not None else _locate(parsed, source)
    if parsed.error_type in SYNTAX_TYPES:
        if compiled is not None:
            diagnosis = diagnose_syntax(compiled)
            line = line if line is not None else compiled.line
        else:  # the code given compiles: explain the paste, but there is nothing to correct in this code
            pasted = SyntaxFacts(parsed.error_type, parsed.message, line, parsed.column, source)
            diagnosis = diagnose_syntax(pasted).model_copy(update={"fixed_code": None})
        column = parsed.column if parsed.column is not None else (compiled.column if compiled else None)
    else:
        facts = RuntimeFacts(
            parsed.error_type, parsed.message, line, source, parsed.source_line, _library_of(parsed)
        )
        diagnosis = diagnose_runtime(facts)
        column = parsed.column
    return _answer(
        diagnosis,
        code=source.text,
        error_type=parsed.error_type,
        message=parsed.message,
        line=line,
        column=column,
        frames=list(parsed.frames),
        found_by="traceback",
        runner=runner,
        stdin=stdin,
    )


def _reproduced(parsed: ParsedError, source: SourceCode, runner: Sandbox, stdin: str) -> ParsedError:
    """A paste without a line: the run's own traceback, when running the code raises the same error."""
    try:
        outcome = runner.run(source.text, stdin)
    except SandboxUnavailableError:
        return parsed
    again = parse_traceback(outcome.stderr, source.text) if outcome.status == "error" else None
    if again is not None and again.error_type == parsed.error_type:
        return again.model_copy(update={"message": parsed.message or again.message})
    return parsed


def _from_run(source: SourceCode, runner: Sandbox, stdin: str) -> DebugAnalysis:
    outcome = runner.run(source.text, stdin)
    if outcome.status == "ok":
        return _without_error(source, found_by="sandbox", ran=True)
    if outcome.status == "error":
        parsed = parse_traceback(outcome.stderr, source.text)
        if parsed is not None:
            analysis = _from_traceback(parsed, source, None, runner, stdin)
            return analysis.model_copy(update={"found_by": "sandbox"})
    return _answer(
        _outcome_diagnosis(outcome, source),
        code=source.text,
        error_type=_OUTCOME_TYPES.get(outcome.status, "Error"),
        message=outcome.message or (outcome.stderr.strip().splitlines() or [""])[-1],
        line=None,
        column=None,
        found_by="sandbox",
        runner=runner,
        stdin=stdin,
    )


def _outcome_diagnosis(outcome: ExecutionResult, source: SourceCode) -> Diagnosis:
    if outcome.status in {"timeout", "output_limit"}:
        endless = [
            problem for problem in find_logic_problems(source) if problem.situation == "logic.infinite_loop"
        ]
        if endless:
            return endless[0]
        return Diagnosis(
            situation="logic.infinite_loop",
            kind="Your program did not finish in time: it probably loops forever, or prints without end.",
            pointer=(
                "Look at each `while` loop: something inside it must eventually make its condition false. "
                "Look also at functions that call themselves."
            ),
            fix="Add a `print` inside the loop to watch the variables its condition tests, then make sure "
            "they change.",
        )
    if outcome.status == "memory_limit":
        return Diagnosis(
            situation="memory_limit",
            kind="Your program used more memory than it is allowed (50 MB): it builds something very large.",
            pointer="Look for a list or text that keeps growing in a loop, or a `range` of a huge number "
            "turned into a list.",
            fix="Process items one at a time instead of keeping them all, or use a smaller size.",
        )
    return Diagnosis(
        situation="blocked",
        kind="The sandbox refused to run your program: "
        + (outcome.message or "it uses something not allowed here."),
        pointer="Programs here cannot use the operating system, the network or other programs (modules "
        "like `os` or `subprocess`).",
        fix="Solve the exercise with plain Python and the standard library's safe modules (math, random, "
        "collections...).",
    )


def _without_error(source: SourceCode, *, found_by: FoundBy, ran: bool) -> DebugAnalysis:
    problems = find_logic_problems(source)
    prefix = (
        "Your program ran without an error"
        if ran
        else "I could not run your program here, and it has no syntax error"
    )
    if not problems:
        return DebugAnalysis(
            error_type=None,
            message=prefix + "." + ("" if ran else " Paste the error you see to get help with it."),
            line=None,
            found_by=found_by,
        )
    problem = problems[0]
    return DebugAnalysis(
        error_type=None,
        message=f"{prefix}, but it has a logic problem.",
        line=problem.line,
        situation=problem.situation,
        hints=_hints(problem, source.text, verified=None),
        found_by=found_by,
    )


def _answer(
    diagnosis: Diagnosis,
    *,
    code: str,
    error_type: str,
    message: str,
    line: int | None,
    column: int | None,
    found_by: FoundBy,
    runner: Sandbox | None,
    stdin: str,
    frames: list[Frame] | None = None,
) -> DebugAnalysis:
    verified = _verify(diagnosis.fixed_code, runner, stdin)
    return DebugAnalysis(
        error_type=error_type,
        message=message,
        line=line if line is not None else diagnosis.line,
        column=column,
        situation=diagnosis.situation,
        hints=_hints(diagnosis, code, verified=verified),
        frames=frames or [],
        found_by=found_by,
    )


def _verify(fixed_code: str | None, runner: Sandbox | None, stdin: str) -> bool | None:
    """Whether the corrected program runs cleanly in the sandbox (None: no fix, or no sandbox)."""
    if fixed_code is None or runner is None:
        return None
    if compile_error(fixed_code) is not None:
        return False
    try:
        return runner.run(fixed_code, stdin).status == "ok"
    except SandboxUnavailableError:
        return None


def _hints(diagnosis: Diagnosis, code: str, *, verified: bool | None) -> list[Hint]:
    fix = diagnosis.fix
    if diagnosis.fixed_code is not None:
        if verified is True:
            fix += " I ran the corrected program and it finished without an error."
        elif verified is False:
            fix += (
                " The corrected program gets past this error, but still stops later: run it again to "
                "see the next problem."
            )
    level_one = _without_leak(diagnosis.kind, code, diagnosis.fixed_code)
    level_two = _without_leak(diagnosis.pointer, code, diagnosis.fixed_code)
    return [
        Hint(level=1, text=level_one),
        Hint(level=2, text=level_two),
        Hint(level=3, text=fix, code=diagnosis.fixed_code, verified=verified),
    ]


def leaked_lines(text: str, original_code: str | None, fixed_code: str | None) -> list[str]:
    """The corrected lines that a hint's text gives away (the lines a fix adds or changes)."""
    if fixed_code is None:
        return []
    squashed = re.sub(r"\s+", "", text)
    return [
        line.strip()
        for line in changed_lines(original_code or "", fixed_code)
        if re.search(r"\w", line) and re.sub(r"\s+", "", line) in squashed
    ]


def _without_leak(text: str, code: str, fixed_code: str | None) -> str:
    """Levels 1 and 2 never show the corrected code; a text that would is cut to its first sentence."""
    if not leaked_lines(text, code, fixed_code):
        return text
    return text.split(". ")[0] + "."


def _locate(parsed: ParsedError, source: SourceCode) -> int | None:
    """The line of the code an error without a line number most likely comes from."""
    if parsed.frames:  # only frames of a library were pasted: the line that calls into it
        module = re.search(r"[/\\]([a-z_]+)(?:[/\\]\w+)?\.py$", parsed.frames[-1].file)
        if module:
            return _first_line_with(source, f"{module.group(1)}.")
    message = parsed.message
    name = re.search(r"name '([^']+)' is not defined|local variable '([^']+)'", message)
    if name:
        wanted = name.group(1) or name.group(2)
        uses = [
            node.lineno
            for node in source.nodes()
            if isinstance(node, ast.Name) and node.id == wanted and isinstance(node.ctx, ast.Load)
        ]
        return min(uses) if uses else None
    attribute = re.search(r"has no attribute '(\w+)'", message)
    if attribute:
        return _first_line_with(source, f".{attribute.group(1)}")
    if parsed.error_type == "KeyError" and message:
        return _first_line_with(source, f"[{message}]")
    if parsed.error_type == "ZeroDivisionError":
        divisions = [
            node.lineno
            for node in source.nodes()
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.FloorDiv | ast.Mod)
        ]
        return divisions[0] if len(divisions) == 1 else None
    return None


def _library_of(parsed: ParsedError) -> str | None:
    """The library module the error was raised in, when the innermost frame is one of its files."""
    if not parsed.frames:
        return None
    innermost = parsed.frames[-1].file.replace("\\", "/").lower()
    found = re.search(r"/(?:site|dist)-packages/([a-z_]\w*)", innermost) or re.search(
        r"/lib/(?:python3[.\d]*/)?([a-z_]\w*)", innermost
    )
    return found.group(1) if found else None


def _first_line_with(source: SourceCode, text: str) -> int | None:
    for number, line in enumerate(source.lines, start=1):
        if text in line:
            return number
    return None
