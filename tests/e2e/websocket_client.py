"""A real WebSocket client for the tests: waits for messages of a given type.

Every message received is held to docs/asyncapi.yaml (`tests/asyncapi_validation.py`).
"""

import asyncio
import json
from typing import Any
from weakref import WeakKeyDictionary

from websockets.asyncio.client import ClientConnection, connect

from tests.asyncapi_validation import check_websocket_message

#: messages that arrived while a test waited for another type, kept for the call that wants them
_unread: WeakKeyDictionary[ClientConnection, list[dict[str, Any]]] = WeakKeyDictionary()


async def open_socket(websocket_url: str, token: str) -> ClientConnection:
    return await connect(f"{websocket_url}/?token={token}", open_timeout=10)


async def next_message(socket: ClientConnection, message_type: str, timeout: float = 10.0) -> dict[str, Any]:
    """The next message of `message_type`, in arrival order whatever other types came between;
    fails after `timeout` seconds."""
    unread = _unread.setdefault(socket, [])
    for index, message in enumerate(unread):
        if message.get("type") == message_type:
            return unread.pop(index)
    async with asyncio.timeout(timeout):
        while True:
            received = json.loads(await socket.recv())
            check_websocket_message(received)  # each message once, as it arrives
            message = dict(received)
            if message.get("type") == message_type:
                return message
            unread.append(message)
