import math
print(math.squareroot(16))
