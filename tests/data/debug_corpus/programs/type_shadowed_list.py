list = [1, 2, 3]
copy = list("abc")
