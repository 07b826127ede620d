x = 4
y = 2x + 1
print(y)
