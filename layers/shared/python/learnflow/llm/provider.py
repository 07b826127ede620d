"""What the LLM's users need of it: a validated structured answer to a prompt, or `LlmUnavailable`."""

from collections.abc import Callable
from typing import Protocol

from pydantic import BaseModel

from learnflow.llm.client import Completion
from learnflow.llm.prompts import Prompt


class StructuredProvider(Protocol):
    def complete[M: BaseModel](self, prompt: Prompt, schema: type[M]) -> Completion[M]: ...


class StreamingProvider(StructuredProvider, Protocol):
    def stream[M: BaseModel](
        self, prompt: Prompt, schema: type[M], prose_field: str, on_prose: Callable[[str], None]
    ) -> Completion[M]:
        """`complete`, with each new piece of the string field `prose_field` given to `on_prose`."""
        ...
