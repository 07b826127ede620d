class = "Python 101"
print(class)
