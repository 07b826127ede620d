ages = {"ada": 36, "alan": 41}
for name, age in ages:
    print(name, age)
