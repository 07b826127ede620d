for i in range(3):
    counter = counter + i
