class Pet:
    def __init__(self, name):
        self.name = name

p = Pet("Rex")
print(p.nmae)
