"""FileNotFoundError: the student opens a file that is not where the program looks for it."""

import re

from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts


def _quoted(message: str) -> str | None:
    found = re.search(r"'([^']*)'", message)
    return found.group(1) if found else None


def file_not_found(facts: RuntimeFacts) -> Diagnosis | None:
    """The student opens a file by a wrong name or from another folder: `open("data.txt")`."""
    path = _quoted(facts.message.partition(":")[2]) or _quoted(facts.message)
    return Diagnosis(
        situation="file_not_found",
        kind=facts.kind("a file could not be found"),
        pointer=(
            f"On line {facts.line}, Python looked for the file `{path or '?'}` and it is not there. "
            "A name without a folder is looked up in the folder the program runs from, "
            "which is not always the folder of the script."
        ),
        fix=(
            "Check the file's exact name and extension (`data.txt` vs `data.csv`), and where it is; "
            "use its full path, "
            "or build it from the script's folder with `pathlib.Path(__file__).parent / 'data.txt'`."
        ),
        line=facts.line,
    )
