items = [1, 2, 3, 4]
middle = items[len(items) / 2]
