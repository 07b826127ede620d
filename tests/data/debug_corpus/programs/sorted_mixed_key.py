people = [{"name": "Ada"}, {"nam": "Alan"}]
for person in people:
    print(person["name"])
