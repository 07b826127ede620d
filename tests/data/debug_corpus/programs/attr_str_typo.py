name = "ada"
print(name.uppper())
