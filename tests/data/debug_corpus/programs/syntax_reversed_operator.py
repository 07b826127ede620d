points = 12
if points => 10:
    print("level up")
