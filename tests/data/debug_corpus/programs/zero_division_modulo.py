n = 10
d = 0
print(n % d)
