"""Framed JSON messages on a pipe: a 4-byte big-endian length, then UTF-8 JSON.

The host talks to a zygote this way, and a zygote hands a run's request to its standby child.
"""

import json
import os
import struct
from typing import Any

_HEADER = struct.Struct(">I")


def read_message(fd: int) -> dict[str, Any] | None:
    """The next message, or None when the other end closed the pipe."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    body = _read_exactly(fd, _HEADER.unpack(header)[0])
    return None if body is None else dict(json.loads(body))


def write_message(fd: int, message: dict[str, Any]) -> None:
    body = json.dumps(message).encode()
    data = _HEADER.pack(len(body)) + body
    while data:
        data = data[os.write(fd, data) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
