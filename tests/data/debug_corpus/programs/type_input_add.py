# stdin: 5
n = input()
print(n + 1)
