dice = random.randint(1, 6)
print(dice)
