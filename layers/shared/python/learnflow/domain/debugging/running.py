"""What the debug agent gives a program it runs for a student who gave it no input."""


def sample_stdin(code: str) -> str:
    """Input for a run when the student gave none: a number on each line reveals unconverted input."""
    return "1\n" * 50 if "input(" in code else ""
