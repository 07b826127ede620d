def say_hi():
print("hi")

say_hi()
