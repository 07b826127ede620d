"""Shaping REST and WebSocket answers in the contract's form; used by thin handlers only."""
