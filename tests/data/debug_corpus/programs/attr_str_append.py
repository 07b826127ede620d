text = "abc"
text.append("d")
