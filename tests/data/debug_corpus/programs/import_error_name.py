from math import squareroot
print(squareroot(9))
