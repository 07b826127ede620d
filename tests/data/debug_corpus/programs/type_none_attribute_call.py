def build():
    items = [1, 2]

result = build()
print(len(result))
