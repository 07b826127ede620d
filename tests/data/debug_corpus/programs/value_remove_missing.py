pets = ["cat", "dog"]
pets.remove("fish")
