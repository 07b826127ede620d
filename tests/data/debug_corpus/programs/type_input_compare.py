# stdin: 20
age = input("Age? ")
if age > 18:
    print("adult")
