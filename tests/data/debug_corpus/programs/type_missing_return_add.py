def double(x):
    result = x * 2

total = double(4) + 1
