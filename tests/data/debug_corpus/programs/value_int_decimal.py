price = int("3.5")
