with open("scores.txt") as file:
    print(file.read())
