"""Builds LearnFlow's machine-readable API documents from the code.

`python -m apispec <document>` writes one of them under docs/ (`--check` only compares):
`asyncapi` is docs/asyncapi.yaml, the WebSocket API and the Kafka topics (`make asyncapi`).
"""
