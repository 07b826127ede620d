def calculate_area(r):
    return 3.14 * r * r

print(calculate_aera(2))
