letters = ["a", "b"]
position = letters.index("z")
