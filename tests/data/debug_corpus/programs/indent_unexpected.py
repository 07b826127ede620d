name = "Ada"
    print(name)
