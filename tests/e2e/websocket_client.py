"""A real WebSocket client for the tests: waits for messages of a given type."""

import asyncio
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


async def open_socket(websocket_url: str, token: str) -> ClientConnection:
    return await connect(f"{websocket_url}/?token={token}", open_timeout=10)


async def next_message(socket: ClientConnection, message_type: str, timeout: float = 10.0) -> dict[str, Any]:
    """The next message of `message_type`, skipping others; fails after `timeout` seconds."""
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await socket.recv())
            if message.get("type") == message_type:
                return dict(message)
