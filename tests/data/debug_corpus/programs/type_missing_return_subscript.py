def first_two(items):
    part = items[:2]

pair = first_two([1, 2, 3])
print(pair[0])
