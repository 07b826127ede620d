number = 1234
first_digit = number[0]
