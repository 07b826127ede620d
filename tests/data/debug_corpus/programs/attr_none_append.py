def make():
    data = []

values = make()
values.append(1)
