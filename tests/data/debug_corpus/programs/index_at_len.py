names = ["a", "b", "c"]
last = names[len(names)]
