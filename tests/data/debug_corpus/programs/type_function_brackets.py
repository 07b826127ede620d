word = "hello"
size = len[word]
