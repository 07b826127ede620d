"""The CDK stacks of LearnFlow."""
