# stdin: ten
n = int(input("How many? "))
