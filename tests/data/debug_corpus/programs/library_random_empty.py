import random
options = []
pick = random.choice(options)
