values = {"a": 1}
try:
    print(values["b"])
except KeyError:
    print(value["a"])
