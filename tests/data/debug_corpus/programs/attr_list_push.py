stack = []
stack.push(3)
