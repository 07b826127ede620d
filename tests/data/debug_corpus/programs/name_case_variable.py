Name = "Ada"
print(name)
