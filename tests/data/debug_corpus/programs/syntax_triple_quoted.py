def describe():
    """Describes the program.
    return 1

print(describe())
