ages = {"ada": 36, "alan": 41
print(ages)
