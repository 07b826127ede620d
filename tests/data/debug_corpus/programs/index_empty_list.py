results = []
best = results[0]
