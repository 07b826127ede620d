"""Syntax: programs Python cannot read, so none of them runs (SyntaxError, IndentationError,
TabError). Each situation recognises itself from the compiler's message (3.8 to 3.13 wording) and
the line's text, and proposes a corrected program that is kept only if it gets past the error."""
