"""The rules every answer an LLM writes keeps, whatever the student's text asked of it.

The student's question and code are data, never instructions; so an answer is refused when it
- shows the system prompt: the request's canary, or a long verbatim run of the prompt's words;
- hands over the open exercise's solution (`solution_leak`);
- is off topic: its prose names fewer than `MIN_PROGRAMMING_TERMS` distinct programming terms
  (a fixed vocabulary, the concept's own words, and the names in the student's code).
A reply that breaks the answer's schema is refused before these, by the caller that parses it.
"""

import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from learnflow.domain.guardrails.code_spans import fenced_blocks, prose_of, tokens
from learnflow.domain.guardrails.solution_leak import OpenExercise, solution_leak
from learnflow.domain.ports import Sandbox

OutputRule = Literal["schema", "system_prompt", "solution", "off_topic"]
#: this many words in a row, as the system prompt has them, are a disclosure
VERBATIM_WORDS = 8
MIN_PROGRAMMING_TERMS = 2

#: words that say an answer is about programming; common English words ("set", "for") are left out
PROGRAMMING_TERMS = frozenset(
    (
        "python",
        "code",
        "coding",
        "program",
        "programming",
        "programmer",
        "script",
        "function",
        "variable",
        "loop",
        "iterate",
        "iteration",
        "iterator",
        "generator",
        "comprehension",
        "list",
        "dict",
        "dictionary",
        "tuple",
        "string",
        "str",
        "integer",
        "int",
        "float",
        "boolean",
        "bool",
        "attribute",
        "module",
        "exception",
        "error",
        "traceback",
        "syntax",
        "indentation",
        "debug",
        "debugging",
        "parameter",
        "recursion",
        "recursive",
        "recursively",
        "lambda",
        "decorator",
        "def",
        "elif",
        "interpreter",
        "algorithm",
        "unittest",
        "stdout",
        "stderr",
        "mutable",
        "immutable",
        "append",
        "len",
        "range",
        "sorted",
        "dataclass",
        "inheritance",
        "callable",
        "namespace",
        "subclass",
        "keyword",
        "pythonic",
        "repl",
        "pip",
        "enumerate",
        "isinstance",
        "docstring",
        "operator",
        "operand",
        "expression",
        "assignment",
        "argument",
        "method",
        "import",
        "library",
        "json",
        "csv",
        "regex",
        "thread",
        "threading",
        "async",
        "await",
        "coroutine",
        "bytecode",
        "compiler",
    )
)

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class AnswerText:
    """What an answer shows a student: its prose (Markdown, maybe with fenced code) and its code fields."""

    prose: str
    code: tuple[str, ...] = ()
    #: anything else shown: an example's output, a diagram
    other: tuple[str, ...] = ()

    @property
    def code_blocks(self) -> list[str]:
        return [*self.code, *fenced_blocks(self.prose)]

    @property
    def everything(self) -> str:
        return "\n".join([self.prose, *self.code, *self.other])


@dataclass(frozen=True)
class AnswerContext:
    """What the answer was asked about, and what it was asked with."""

    question: str
    system_prompt: str
    canary: str
    student_code: str = ""
    #: the concept or task the answer is about, e.g. "List comprehensions"
    topic: str = ""
    #: the exercises the student has open: no answer may hold one's solution
    exercises: tuple[OpenExercise, ...] = ()
    extra_terms: frozenset[str] = field(default_factory=frozenset)


def broken_rule(answer: AnswerText, context: AnswerContext, sandbox: Sandbox | None) -> OutputRule | None:
    """The first rule `answer` breaks, or None when a student may read it."""
    if discloses_system_prompt(answer.everything, context.system_prompt, context.canary):
        return "system_prompt"
    if any(solution_leak(answer.code_blocks, exercise, sandbox) for exercise in context.exercises):
        return "solution"
    if answer.prose.strip() and is_off_topic(answer.prose, topic_terms(context)):
        return "off_topic"
    return None


def discloses_system_prompt(text: str, system_prompt: str, canary: str) -> bool:
    """The canary (however spaced or cased), or `VERBATIM_WORDS` of the prompt's words in a row."""
    if canary and _squashed(canary) in _squashed(text):
        return True
    prompt_runs = set(_runs(_words(system_prompt.replace(canary, " ") if canary else system_prompt)))
    return any(run in prompt_runs for run in _runs(_words(text)))


def is_off_topic(prose: str, terms: frozenset[str]) -> bool:
    """Fewer than `MIN_PROGRAMMING_TERMS` distinct programming terms in the prose (code blocks left out)."""
    return len(programming_terms_in(prose, terms)) < MIN_PROGRAMMING_TERMS


def programming_terms_in(prose: str, terms: frozenset[str]) -> set[str]:
    vocabulary = PROGRAMMING_TERMS | terms
    return {
        _singular(word)
        for word in _words(prose_of(prose))
        if _singular(word) in vocabulary or word in vocabulary
    }


def topic_terms(context: AnswerContext) -> frozenset[str]:
    """The concept's own words and the names in the student's code (a `total_price` is on topic; its
    comments and strings are left out, they are the student's text)."""
    words = {_singular(word) for word in _words(context.topic) if len(word) > 3}
    words |= {
        token.text.lower()
        for token in tokens(context.student_code)
        if token.is_name and len(token.text) > 3 and not keyword.iskeyword(token.text)
    }
    return frozenset(words) | context.extra_terms


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def _runs(words: list[str]) -> Iterable[tuple[str, ...]]:
    return (tuple(words[start : start + VERBATIM_WORDS]) for start in range(len(words) - VERBATIM_WORDS + 1))


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _squashed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()
