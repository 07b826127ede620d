def greet(greeting, name):
    print(greeting, name)

greet(greeting="Hi", "Ada")
