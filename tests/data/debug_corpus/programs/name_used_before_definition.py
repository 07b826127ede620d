print(message)
message = "hi"
