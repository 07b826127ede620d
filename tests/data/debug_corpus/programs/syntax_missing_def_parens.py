def hello:
    print("hello")
