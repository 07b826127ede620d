answer = ""
while answer = "":
    answer = "yes"
