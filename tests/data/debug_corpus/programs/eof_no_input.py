# stdin:
name = input("Name? ")
