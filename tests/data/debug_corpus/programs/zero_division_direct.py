total = 10
people = 0
share = total / people
