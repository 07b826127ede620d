"""LearnFlow's code sandbox: the runner package and the Lambda container image around it."""
