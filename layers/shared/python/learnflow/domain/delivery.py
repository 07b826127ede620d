"""Delivering a message to every WebSocket connection a student has open."""

from typing import Any

from learnflow.domain.ports import ConnectionPusher, ConnectionStore


def deliver(
    connections: ConnectionStore, pusher: ConnectionPusher, user_id: str, message: dict[str, Any]
) -> int:
    """Pushes to each connection and forgets the ones that are gone; returns how many received it."""
    delivered = 0
    for connection_id in connections.of_user(user_id):
        if pusher.push(connection_id, message):
            delivered += 1
        else:
            connections.remove(connection_id)
    return delivered
