def double(x):
    y = x * 2
return y
