"""Text with the NUL character (U+0000): JSON allows it, PostgreSQL's text cannot store it.

Bodies are refused up front (422, naming the fields), before any of their text reaches the database.
"""

from typing import Any

NUL = "\x00"
NUL_MESSAGE = "must not contain the NUL character (U+0000)"


def fields_with_nul(document: Any, path: str = "") -> list[str]:
    """Where `document` (parsed JSON) holds NUL, in keys or values, as dotted paths ("items.0.name")."""
    if isinstance(document, str):
        return [path or "body"] if NUL in document else []
    if isinstance(document, dict):
        found = [f"{path}.{key}" if path else key for key in document if NUL in key]
        for key, value in document.items():
            found += fields_with_nul(value, f"{path}.{key}" if path else key)
        return found
    if isinstance(document, list):
        return [
            field
            for index, item in enumerate(document)
            for field in fields_with_nul(item, f"{path}.{index}" if path else str(index))
        ]
    return []


def nul_details(document: Any) -> list[dict[str, str]]:
    """The contract's error details for every field holding NUL; empty when there is none."""
    return [{"field": field, "message": NUL_MESSAGE} for field in fields_with_nul(document)]
