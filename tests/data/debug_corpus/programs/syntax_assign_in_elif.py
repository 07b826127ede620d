grade = 75
if grade > 90:
    print("A")
elif grade = 75:
    print("C")
