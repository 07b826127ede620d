def total():
    return 3

total() = 5
