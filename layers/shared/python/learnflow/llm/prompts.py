"""Prompt templates, kept as files beside this module (package data) and filled with `string.Template`.

`$name` placeholders take the request's values; code pasted into a value is never expanded again.
"""

from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

_PACKAGE = "learnflow.llm"
SYSTEM = "system"


@dataclass(frozen=True)
class Prompt:
    task: str
    system: str
    user: str

    def messages(self) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]


@cache
def template(name: str) -> Template:
    """The template `prompts/<name>.md`; a missing file is a packaging error, raised at first use."""
    return Template((resources.files(_PACKAGE) / "prompts" / f"{name}.md").read_text(encoding="utf-8"))


def render(task: str, **variables: str) -> Prompt:
    """The system prompt and the task's user prompt; a placeholder without a value raises KeyError."""
    return Prompt(task, template(SYSTEM).substitute(), template(task).substitute(variables).strip())
