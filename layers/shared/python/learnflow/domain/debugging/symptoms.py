"""What a student's words alone say about a bug, before any code is pasted: the classic symptoms of
beginners' programs and their usual causes."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Symptom:
    pattern: re.Pattern[str]
    explanation: str
    #: the curriculum concept that explains the cause
    concept: str


SYMPTOMS = (
    Symptom(
        re.compile(
            r"\b(prints?|printing|returns?|returning|gets?|got|shows?|is|says?)\s+none\b", re.IGNORECASE
        ),
        "When a function ends without a `return`, calling it gives back `None`. A function that"
        " prints its result instead of returning it shows the result and then `None` where you use"
        " its value: `print(add(2, 3))` prints `None` if `add` has `print(total)` but no"
        " `return total`. Check that every path through the function ends with `return` and the value.",
        "return-values",
    ),
    Symptom(
        re.compile(
            r"\b(infinite loop|never (stops|ends|finishes)|runs forever|keeps (running|going|looping)"
            r"|hangs?|stuck)\b",
            re.IGNORECASE,
        ),
        "A loop that never ends is usually a `while` loop whose condition never becomes false:"
        " nothing inside the loop changes the variable the condition tests (a forgotten `i += 1`),"
        " or it changes it the wrong way.",
        "while-loops",
    ),
    Symptom(
        re.compile(r"\b(nothing happens|prints? nothing|no output|doesn'?t print anything)\b", re.IGNORECASE),
        "A program that prints nothing often defines its functions but never calls them: a `def`"
        " only creates the function, and its body runs when a line like `main()` calls it.",
        "functions",
    ),
    Symptom(
        re.compile(
            r"\b(off by one|one (too )?(less|fewer|more|short)|misses? the last|skips? the last)\b",
            re.IGNORECASE,
        ),
        "Missing or extra items are often `range`: `range(5)` counts 0 to 4 and stops before 5, and"
        " `range(1, n)` never reaches `n`. Slices stop before their end index the same way.",
        "range",
    ),
    Symptom(
        re.compile(
            r"\b(both lists?|other list|original list|copy) (also |too )?(changes?|changed|modified)\b",
            re.IGNORECASE,
        ),
        "Two names can refer to one list: `b = a` does not copy `a`, so changing `b` changes `a`."
        " Copy it with `b = a.copy()` or `b = list(a)`.",
        "lists",
    ),
)

NO_CODE = "To help you debug, paste the code that fails and the error message it shows."
ASK_FOR_CODE = "Paste the code that fails and the error message it shows, and I will point at the line."


def symptom_in(question: str) -> Symptom | None:
    return next((symptom for symptom in SYMPTOMS if symptom.pattern.search(question)), None)


def without_code(question: str) -> str:
    """The answer to a debugging question that came without code: its symptom's usual cause, if the
    words name one, then the request for the code."""
    symptom = symptom_in(question)
    if symptom is None:
        return NO_CODE
    return f"{symptom.explanation}\n\n{ASK_FOR_CODE}"
