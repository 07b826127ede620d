"""Input and files: what the program reads from outside is not there (EOFError, FileNotFoundError)."""
