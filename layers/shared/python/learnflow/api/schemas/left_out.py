"""Fields a body leaves out, rather than sending null, when they do not apply to the caller or the case.

Such a field is typed `X | SkipJsonSchema[None]`, with
`Field(default=None, json_schema_extra=without_default)`: the document shows it as an optional `X`,
neither nullable nor with a default.
"""

from typing import Any


def without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)
