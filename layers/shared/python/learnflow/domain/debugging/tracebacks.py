"""Reading the tracebacks students paste: whole or partial, plain or IPython, Python 3.8 to 3.13.

What a paste can look like, all handled here:
- with or without the `Traceback (most recent call last):` header, indented, quoted (`> `),
  inside a Markdown code fence, with terminal colours, or only its last line;
- chained exceptions ("During handling of the above exception...", "The above exception was
  the direct cause..."): the last one is the error, the earlier ones are its chain;
- SyntaxError blocks with a caret line (`^` before 3.10, `^^^^` after) giving the column;
- 3.11+ `~~~^^^` marks under a frame's source line giving the failing expression;
- IPython/Jupyter (`Cell In[3], line 5`, `----> 5 x = y`) and IDLE (`<pyshell#3>`) frames;
- exception groups (3.11+), whose lines are prefixed with `|`;
- only a message without its type ("list index out of range"): the type is inferred.
"""

import builtins
import itertools
import re
import textwrap
from dataclasses import dataclass, field
from typing import Literal

from learnflow.domain.debugging.models import ChainedError, Frame, ParsedError

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADER = re.compile(r"^\s*Traceback \(most recent call last\):?\s*$")
_IPYTHON_HEADER = re.compile(r"^\s*(?P<type>[A-Za-z_][\w.]*)\s{2,}Traceback \(most recent call last\)")
_CONTEXT = re.compile(r"During handling of the above exception, another exception occurred")
_CAUSE = re.compile(r"The above exception was the direct cause of the following exception")
_FRAME = re.compile(
    r"""^\s*File\s+"(?P<file>[^"]+)",\s+line\s+(?P<line>\d+)(?:,\s+in\s+(?P<function>.+?))?\s*$"""
)
# IPython 8+: `File ~/work/x.py:12, in f(x)` and `Cell In[3], line 5` (with or without `, in f`)
_IPYTHON_FILE = re.compile(
    r"^\s*File\s+(?P<file>[^\s:\"][^:]*):(?P<line>\d+)(?:,\s+in\s+(?P<function>.+?))?\s*$"
)
_IPYTHON_CELL = re.compile(
    r"^\s*(?:Input\s+)?(?P<file>Cell\s+In\s*\[\s*\d*\s*\]),\s+line\s+(?P<line>\d+)(?:,\s+in\s+(?P<function>.+?))?\s*$"
)
# older IPython: `<ipython-input-3-1a2b> in <module>` and `/path/x.py in f(x)`
_IPYTHON_OLD = re.compile(r"^\s*(?P<file><ipython-input-[^>]+>|\S+\.py)\s+in\s+(?P<function>\S.*?)\s*$")
_IPYTHON_ARROW = re.compile(r"^\s*-+>\s*(?P<line>\d+)\s?(?P<source>.*)$")
_IPYTHON_NUMBERED = re.compile(r"^\s+(?P<line>\d+)\s(?P<source>.*)$")
_MARKS = re.compile(r"^\s*[~^]+\s*$")
_REPEATED = re.compile(r"^\s*\[Previous line repeated \d+ more times?\]\s*$")
_GROUP_RULE = re.compile(r"^\s*\+[-+]+.*$|^\s*\+-+\s*\d+\s*-+\s*$")
_GROUP_BAR = re.compile(r"^(\s*\|\s?)")
_EXCEPTION = re.compile(r"^(?P<type>[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)(?::\s?(?P<message>.*))?$")

_BUILTIN_EXCEPTIONS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
_EXCEPTION_SUFFIXES = ("Error", "Exception", "Warning", "Exit", "Interrupt", "Iteration", "Group")
_STUDENT_FILE_MARKS = ("<stdin>", "<string>", "<pyshell", "Cell In", "<ipython-input", "<input>", "<module>")
_LIBRARY_FILE_MARKS = (
    "site-packages",
    "dist-packages",
    "/lib/python",
    "\\lib\\",
    "<frozen",
    "/usr/lib/",
    "lib64/python",
)

# messages whose type is unambiguous, for pastes that lost the `Type:` prefix
_TYPE_BY_MESSAGE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), error_type)
    for pattern, error_type in (
        (r"^name '.+' is not defined", "NameError"),
        (
            r"^(local variable '.+' referenced before assignment|cannot access local variable)",
            "UnboundLocalError",
        ),
        (r"(list|string|tuple|range object) index out of range$", "IndexError"),
        (r"^pop from empty list", "IndexError"),
        (
            r"^(division|integer division|float division|integer modulo|float modulo) (or modulo )?by zero",
            "ZeroDivisionError",
        ),
        (r"^division by zero", "ZeroDivisionError"),
        (r"^invalid literal for int\(\) with base \d+", "ValueError"),
        (r"^could not convert string to float", "ValueError"),
        (r"^(too many|not enough) values to unpack", "ValueError"),
        (r"^can only concatenate ", "TypeError"),
        (r"^unsupported operand type\(s\)", "TypeError"),
        (r"object is not (callable|subscriptable|iterable)", "TypeError"),
        (r"^'.+' not supported between instances of", "TypeError"),
        (r"takes \d+ positional arguments? but \d+ (were|was) given", "TypeError"),
        (r"missing \d+ required positional argument", "TypeError"),
        (r"^'.+' object has no attribute '.+'", "AttributeError"),
        (r"^module '.+' has no attribute '.+'", "AttributeError"),
        (r"^No module named ", "ModuleNotFoundError"),
        (r"^cannot import name ", "ImportError"),
        (r"^maximum recursion depth exceeded", "RecursionError"),
        (r"^\[Errno 2\] No such file or directory", "FileNotFoundError"),
        (r"^unindent does not match any outer indentation level", "IndentationError"),
        (r"^(unexpected indent|expected an indented block)", "IndentationError"),
        (r"^inconsistent use of tabs and spaces in indentation", "TabError"),
        (r"^(invalid syntax|unexpected EOF while parsing|EOL while scanning string literal)", "SyntaxError"),
        (r"^unterminated (triple-quoted )?string literal", "SyntaxError"),
        (r"^expected ':'", "SyntaxError"),
        (r"was never closed$", "SyntaxError"),
        (r"^unmatched '.'", "SyntaxError"),
        (r"^Missing parentheses in call to ", "SyntaxError"),
        (r"^dictionary changed size during iteration", "RuntimeError"),
    )
)


def looks_like_traceback(text: str) -> bool:
    """Whether the text holds an error at all (a vague "it doesn't work" does not)."""
    return parse_traceback(text) is not None


def parse_traceback(
    text: str, code: str | None = None, *, student_file: str | None = None
) -> ParsedError | None:
    """The last error in `text`, its chain and frames; the line is mapped into `code` when given.

    `student_file` names the file that holds the student's code when the caller knows it (a
    sandbox run); otherwise it is the outermost frame's file. Returns None when no error is named.
    """
    lines = _normalise(text)
    segments = _split_chain(lines)
    parsed: list[tuple[ParsedError, Literal["context", "cause"]]] = []
    for relation, segment in segments:
        error = _parse_segment(segment, student_file)
        if error is not None:
            parsed.append((error, relation))
    if not parsed:
        return None
    last, _ = parsed[-1]
    chain = tuple(
        ChainedError(error_type=error.error_type, message=error.message, relation=next_relation)
        for (error, _), (_, next_relation) in itertools.pairwise(parsed)
    )
    located = _locate_in_code(last, code) if code is not None else last
    return located.model_copy(update={"chain": chain})


def _normalise(text: str) -> list[str]:
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n").expandtabs(8)
    lines = [line.rstrip() for line in text.split("\n") if not _FENCE.match(line)]
    nonblank = [line for line in lines if line.strip()]
    if nonblank and all(
        line.lstrip().startswith(">") and not line.lstrip().startswith(">>>") for line in nonblank
    ):
        lines = [re.sub(r"^\s*> ?", "", line) for line in lines]  # a Markdown quote
    lines = [line for line in lines if not _GROUP_RULE.match(line)]
    if any(_GROUP_BAR.match(line) for line in lines):
        lines = [_GROUP_BAR.sub("", line, count=1) for line in lines]
    return textwrap.dedent("\n".join(lines)).split("\n")


def _split_chain(lines: list[str]) -> list[tuple[Literal["context", "cause"], list[str]]]:
    segments: list[tuple[Literal["context", "cause"], list[str]]] = []
    relation: Literal["context", "cause"] = "context"
    current: list[str] = []
    for line in lines:
        if _CONTEXT.search(line) or _CAUSE.search(line):
            segments.append((relation, current))
            relation, current = ("cause" if _CAUSE.search(line) else "context"), []
        else:
            current.append(line)
    segments.append((relation, current))
    return segments


@dataclass
class _Segment:
    """What one error's part of a paste holds, read line by line."""

    frames: list[Frame] = field(default_factory=list)
    #: the last line naming a built-in (or built-in-looking) exception, as (type, message)
    exception: tuple[str, str] | None = None
    #: the last `Type: message` line after a frame, which may be a class of the student's own
    custom: tuple[str, str] | None = None
    #: the frame of a SyntaxError, which names no function
    syntax_frame: Frame | None = None


def _parse_segment(lines: list[str], student_file: str | None) -> ParsedError | None:
    segment = _read_segment(lines)
    exception = segment.exception
    if exception is None or (
        segment.custom is not None and segment.frames and _comes_after(lines, segment.custom, exception)
    ):
        exception = segment.custom  # a class of the student's own, e.g. `InsufficientFunds: balance is 3`
    if exception is None:
        return None
    qualified_type, message = exception
    error_type = qualified_type.rpartition(".")[2]
    student = _student_frame(segment.frames, student_file)
    if error_type in {"SyntaxError", "IndentationError", "TabError"} and segment.syntax_frame is not None:
        student = segment.syntax_frame
    return ParsedError(
        error_type=error_type,
        qualified_type=qualified_type,
        message=message,
        line=student.line if student is not None else _line_in_message(message),
        column=student.start_column if student is not None else None,
        end_column=student.end_column if student is not None else None,
        frames=tuple(segment.frames),
        source_line=student.source if student is not None else None,
    )


def _read_segment(lines: list[str]) -> _Segment:
    segment = _Segment()
    index = 0
    while index < len(lines):
        line = lines[index]
        frame_match = _match_frame(line)
        if frame_match is not None:
            frame, index = _read_frame(frame_match, lines, index + 1)
            segment.frames.append(frame)
            if frame.function is None and not frame.file.startswith("Cell In"):
                segment.syntax_frame = frame
            continue
        arrow = _IPYTHON_ARROW.match(line)
        if arrow and segment.frames:
            segment.frames[-1] = segment.frames[-1].model_copy(
                update={"line": int(arrow.group("line")), "source": arrow.group("source").strip() or None}
            )
        else:
            _read_exception_line(segment, line)
        index += 1
    return segment


def _read_exception_line(segment: _Segment, line: str) -> None:
    found = _exception_line(line)
    if found is not None:
        segment.exception = found
    elif segment.frames and (custom := _EXCEPTION.match(line)) and ":" in line:
        segment.custom = custom.group("type"), (custom.group("message") or "").strip()


def _match_frame(line: str) -> re.Match[str] | None:
    for pattern in (_FRAME, _IPYTHON_CELL, _IPYTHON_FILE):
        found = pattern.match(line)
        if found:
            return found
    found = _IPYTHON_OLD.match(line)
    if found and not _exception_line(line):
        return found
    return None


def _read_frame(found: re.Match[str], lines: list[str], index: int) -> tuple[Frame, int]:
    """The frame's source line and marks that follow its `File` line; returns where reading stopped."""
    groups = found.groupdict()
    file = groups["file"]
    line_number = int(groups["line"]) if groups.get("line") else 0
    function = groups.get("function")
    source: str | None = None
    start = end = None
    while index < len(lines):
        line = lines[index]
        if not line.strip() or _REPEATED.match(line):
            index += 1
            if source is not None:
                break
            continue
        if _match_frame(line) or _HEADER.match(line):
            break
        arrow = _IPYTHON_ARROW.match(line)
        if arrow:
            line_number, source = int(arrow.group("line")), arrow.group("source").strip()
            index += 1
            continue
        if _IPYTHON_NUMBERED.match(line) and function is not None and "Cell In" in file:
            index += 1  # IPython's context lines around the arrow
            continue
        if _MARKS.match(line) and source is not None:
            start, end = _mark_columns(lines[index - 1], line)
            index += 1
            break
        if source is None and line.startswith((" ", "\t")) and not _exception_line(line.strip()):
            source = line.strip()
            index += 1
            continue
        break
    return Frame(
        file=file,
        line=line_number,
        function=function.strip() if function else None,
        source=source,
        start_column=start,
        end_column=end,
    ), index


def _mark_columns(source_line: str, marks: str) -> tuple[int, int]:
    """1-based columns, within the stripped source line, of the `^`/`~` marks under it."""
    indent = len(source_line) - len(source_line.lstrip())
    first = len(marks) - len(marks.lstrip())
    caret = marks.find("^")
    start = (caret if caret >= 0 and "~" not in marks else first) - indent + 1
    return max(start, 1), max(len(marks.rstrip()) - indent, 1)


def _exception_line(line: str) -> tuple[str, str] | None:
    if not line or line[0].isspace() or _HEADER.match(line) or _IPYTHON_HEADER.match(line):
        return None
    found = _EXCEPTION.match(line)
    if found is None:
        return _message_only(line)
    qualified = found.group("type")
    name = qualified.rpartition(".")[2]
    if name not in _BUILTIN_EXCEPTIONS and not name.endswith(_EXCEPTION_SUFFIXES):
        return _message_only(line)
    if found.group("message") is None and ":" in line:
        return None
    return qualified, (found.group("message") or "").strip()


def _message_only(line: str) -> tuple[str, str] | None:
    for pattern, error_type in _TYPE_BY_MESSAGE:
        if pattern.search(line.strip()):
            return error_type, line.strip()
    return None


def _comes_after(lines: list[str], custom: tuple[str, str], exception: tuple[str, str]) -> bool:
    def position(found: tuple[str, str]) -> int:
        return max(
            (number for number, line in enumerate(lines) if line.startswith(found[0]) and found[1] in line),
            default=-1,
        )

    return position(custom) > position(exception)


def _student_frame(frames: list[Frame], student_file: str | None) -> Frame | None:
    """The innermost frame in the student's own file (the outermost frame's file, unless it is a library)."""
    if not frames:
        return None
    if student_file is not None:
        named = [frame for frame in frames if frame.file == student_file]
        if named:
            return named[-1]
    own = [frame for frame in frames if _is_student_file(frame.file)]
    if not own:
        return None  # only a library's frames: the student's line is not in the paste
    main_file = own[0].file
    same_file = [frame for frame in own if frame.file == main_file or _is_interactive(frame.file)]
    return (same_file or own)[-1]


def _is_student_file(file: str) -> bool:
    if any(mark in file for mark in _STUDENT_FILE_MARKS):
        return True
    return not any(
        mark in file.replace("\\", "/").lower() for mark in _LIBRARY_FILE_MARKS
    ) and not file.startswith("<")


def _is_interactive(file: str) -> bool:
    return any(mark in file for mark in _STUDENT_FILE_MARKS)


def _line_in_message(message: str) -> int | None:
    """Errors printed without frames sometimes carry the line in their message: `(main.py, line 4)`."""
    found = re.search(r"\([^()]*, line (\d+)\)\s*$", message)
    return int(found.group(1)) if found else None


def _locate_in_code(error: ParsedError, code: str) -> ParsedError:
    """Maps the traceback's line into the code pasted beside it, which may be a part of the file."""
    code_lines = code.splitlines()
    if error.line is None or not error.source_line:
        return error
    wanted = _squash(error.source_line)
    if 1 <= error.line <= len(code_lines) and _squash(code_lines[error.line - 1]) == wanted:
        return _with_code_columns(error, code_lines[error.line - 1])
    matches = [number for number, text in enumerate(code_lines, start=1) if _squash(text) == wanted]
    if not matches:
        return error
    closest = min(matches, key=lambda number: abs(number - error.line))  # type: ignore[operator]
    return _with_code_columns(error.model_copy(update={"line": closest}), code_lines[closest - 1])


def _with_code_columns(error: ParsedError, code_line: str) -> ParsedError:
    """Tracebacks print the source line without its indentation: columns are shifted back into the line."""
    indent = len(code_line) - len(code_line.lstrip())
    if error.column is None or not indent:
        return error
    return error.model_copy(
        update={
            "column": error.column + indent,
            "end_column": error.end_column + indent if error.end_column is not None else None,
        }
    )


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
