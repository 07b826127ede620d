temp = 30
if temp > 25:
    print("hot")
else if temp > 15:
    print("warm")
