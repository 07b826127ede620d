"""The constructs the LearnFlow stack is assembled from."""
