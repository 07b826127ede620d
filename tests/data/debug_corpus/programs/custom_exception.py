class InsufficientFunds(Exception):
    pass

def withdraw(balance, amount):
    if amount > balance:
        raise InsufficientFunds("balance is only " + str(balance))
    return balance - amount

withdraw(3, 10)
