"""Program flow: how the program moves through its code goes wrong: recursion that never ends
(RecursionError), iterators used up or changed under a loop (StopIteration, RuntimeError), and
an `assert` that finds its condition false (AssertionError)."""
