names = ["a", "b"]
for i in len(names):
    print(names[i])
