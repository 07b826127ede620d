age = 20
print("You are " + age + " years old")
