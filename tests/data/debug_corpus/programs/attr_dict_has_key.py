d = {"a": 1}
print(d.has_key("a"))
