total = 0
continue
