def sign(n):
    if n > 0:
        result = "positive"
    return result

print(sign(-1))
