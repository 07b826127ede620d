def third(items):
    return items[2]

print(third([1, 2]))
