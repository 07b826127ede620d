def greet(greeting, name):
    return greeting + ", " + name

print(greet("Hello"))
