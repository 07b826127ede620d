1st_place = "Ada"
print(1st_place)
