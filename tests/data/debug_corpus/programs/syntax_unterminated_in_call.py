print("Welcome to the game)
score = 0
