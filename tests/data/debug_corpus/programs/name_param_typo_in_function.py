def greet(person):
    return "Hi " + persn

print(greet("Ada"))
