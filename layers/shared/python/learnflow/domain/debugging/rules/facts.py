"""What a situation reads about an error: its type, message, line and the student's code."""

from dataclasses import dataclass

from learnflow.domain.debugging.source import SourceCode, article

SYNTAX_TYPES = frozenset({"SyntaxError", "IndentationError", "TabError"})


class ErrorFacts:
    """The facts every situation shares, and the failing line's text."""

    error_type: str
    message: str
    line: int | None
    code: SourceCode

    @property
    def text(self) -> str:
        """The failing line as the student wrote it, or as the traceback showed it ('' when unknown)."""
        return self.code.line(self.line) or self._line_from_traceback()

    @property
    def shown(self) -> str:
        return self.text.strip()

    @property
    def quoted(self) -> str:
        """The failing line in backticks, to follow "line N" in a hint ('' when unknown)."""
        return f" (`{self.shown}`)" if self.shown else ""

    def _line_from_traceback(self) -> str:
        return ""


@dataclass(frozen=True)
class RuntimeFacts(ErrorFacts):
    """An error raised while the program ran."""

    error_type: str
    message: str
    line: int | None
    code: SourceCode
    #: the failing line as the traceback showed it, when the code does not have it
    source_line: str | None = None
    #: the module of Python's own library the error was raised in, when it was (e.g. `json`)
    library: str | None = None

    @property
    def where(self) -> str:
        return f"line {self.line}{self.quoted}" if self.line else "the line the traceback ends on"

    def kind(self, what: str) -> str:
        """Level one of a runtime hint: the error's type, `what` it means, and where it happened."""
        return (
            f"This is {article(self.error_type)} {self.error_type}: {what}. "
            f"It happened while your program ran, at {self.where}."
        )

    def _line_from_traceback(self) -> str:
        return self.source_line or ""


@dataclass(frozen=True)
class SyntaxFacts(ErrorFacts):
    """An error that kept Python from reading the program at all."""

    error_type: str
    message: str
    line: int | None
    #: 1-based, as CPython reports it
    column: int | None
    code: SourceCode

    @property
    def where(self) -> str:
        return f"line {self.line}" if self.line else "your program"

    def not_run(self) -> str:
        """Level one of a syntax hint, up to the place to look; each situation ends the sentence."""
        return self.not_run_at(f"{self.where}{self.quoted}")

    def not_run_at(self, place: str) -> str:
        return (
            f"This is {article(self.error_type)} {self.error_type}: "
            f"Python could not read your program, so none of it ran. Look at {place}"
        )
