scores = [3, 5, 8]
for i in range(len(scores) + 1):
    print(scores[i])
