count = 3
message = count + " apples"
