def response(hey_bob):
    return "Whatever."
