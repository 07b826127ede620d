"""Handlers of the custom resources that finish a deployment: schema migrations and Kafka topics.

They run on AWS during `cdk deploy` (behind the CDK custom resource provider), with the shared
layers, and are shipped as their own small asset (`infra/deploy_hooks/` and nothing else).
"""
