temperature = float("warm")
