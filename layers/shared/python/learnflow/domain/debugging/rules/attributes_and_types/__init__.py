"""Attributes and types: a value used in a way its type does not allow (AttributeError, and the
TypeErrors of operands, None values, calls, brackets, loops and lengths)."""
