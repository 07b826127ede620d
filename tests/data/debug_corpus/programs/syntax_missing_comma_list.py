colors = ["red" "green", "blue"]
numbers = [1, 2 3]
print(colors, numbers)
