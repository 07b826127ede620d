student = {"name": "Ada", "grade": 90}
print(student["grade"], student["nmae"])
