first = "Ada"
last = "Lovelace"
full = first " " last
