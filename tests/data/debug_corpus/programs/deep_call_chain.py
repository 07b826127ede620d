def load(values):
    return [convert(v) for v in values]

def convert(value):
    return int(value)

print(load(["1", "two"]))
