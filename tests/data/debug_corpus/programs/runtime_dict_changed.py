stock = {"apple": 0, "pear": 3}
for fruit in stock:
    if stock[fruit] == 0:
        del stock[fruit]
