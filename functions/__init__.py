"""LearnFlow's Lambda functions: one package each, a thin handler over the shared layer."""
