"""Reading a synthesized template: references between resources, and which function is which."""

from typing import Any

Resource = dict[str, Any]


def references(value: Any) -> set[str]:
    """Logical ids a template value refers to (Ref and Fn::GetAtt), at any depth."""
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            return {value["Ref"]}
        if set(value) == {"Fn::GetAtt"}:
            return {value["Fn::GetAtt"][0]}
        return set().union(*(references(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(references(item) for item in value))
    return set()


def function_referenced_by(value: Any, function_names: dict[str, str]) -> str:
    (name,) = {function_names[ref] for ref in references(value) if ref in function_names}
    return name


def tag_value(properties: Resource, key: str) -> str | None:
    for tag in properties.get("Tags", []):
        if tag["Key"] == key:
            return str(tag["Value"])
    return None
