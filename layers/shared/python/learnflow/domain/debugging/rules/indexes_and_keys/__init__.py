"""Indexes and keys: a position, item or key a sequence or dictionary does not have (IndexError,
KeyError), and positions or keys of the wrong type."""
