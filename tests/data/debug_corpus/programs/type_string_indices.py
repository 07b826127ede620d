person = "Ada"
print(person["name"])
