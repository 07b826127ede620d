def make_total():
    total = 5 + 6

make_total()
print(total)
