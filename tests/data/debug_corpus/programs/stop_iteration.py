letters = iter(["a"])
print(next(letters))
print(next(letters))
