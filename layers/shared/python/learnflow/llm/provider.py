"""What the LLM's users need of it: a validated structured answer to a prompt, or `LlmUnavailable`."""

from typing import Protocol

from pydantic import BaseModel

from learnflow.llm.client import Completion
from learnflow.llm.prompts import Prompt


class StructuredProvider(Protocol):
    def complete[M: BaseModel](self, prompt: Prompt, schema: type[M]) -> Completion[M]: ...
