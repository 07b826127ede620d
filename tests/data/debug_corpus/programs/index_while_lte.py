items = [1, 2, 3]
i = 0
while i <= len(items):
    print(items[i])
    i += 1
