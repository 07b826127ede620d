"""Sending messages to WebSocket connections through API Gateway's @connections API."""
