"""LearnFlow's shared library, shipped to every function as the Lambda layer `shared`."""
