sum = 0
for n in [1, 2, 3]:
    sum += n
average = sum([1, 2, 3]) / 3
