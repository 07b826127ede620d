prices = {"Apple": 1.5, "Pear": 2}
print(prices["apple"])
