answer = "yes"
if answer == yes:
    print("ok")
