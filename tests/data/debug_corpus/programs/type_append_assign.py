numbers = [1, 2]
numbers = numbers.append(3)
print(len(numbers))
