"""A user's WebSocket during the load test: the `websockets` sync client, read all the time.

Locust patches sockets, threads and queues with gevent before the locustfile is imported, so the
client's reader thread and the queue below are greenlets: one user's wait for its answer does not
block the others. Every frame is read as it arrives (pushes of executions, progress and
notifications too), so the server never waits on a client that stopped reading; only answers
(`{"type": "response"}`) are kept for the question waiting on them.
"""

import json
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect


@dataclass(frozen=True)
class Arrival:
    """A message and when it arrived (`time.perf_counter()`)."""

    at: float
    message: dict[str, Any]


class LiveSocket:
    """One open WebSocket; `answers` receives every `response` message in arrival order."""

    def __init__(self, websocket_url: str, token: str, open_timeout: float = 10.0) -> None:
        self._connection: ClientConnection = connect(
            f"{websocket_url}/?token={token}", open_timeout=open_timeout, close_timeout=2
        )
        self.answers: queue.Queue[Arrival] = queue.Queue()
        self.received: Counter[str] = Counter()
        self.closed_because: str | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            for frame in self._connection:
                arrived = time.perf_counter()
                try:
                    message = dict(json.loads(frame))
                except (ValueError, TypeError):
                    self.received["unreadable"] += 1
                    continue
                kind = str(message.get("type"))
                self.received[kind] += 1
                if kind == "response":
                    self.answers.put(Arrival(arrived, message))
            self.closed_because = "the server closed the WebSocket"
        except ConnectionClosed as closed:
            self.closed_because = f"the WebSocket closed: {closed}"
        except OSError as error:
            self.closed_because = f"the WebSocket failed: {error!r}"

    @property
    def open(self) -> bool:
        return self.closed_because is None and self._reader.is_alive()

    def next_answer(self, timeout: float) -> Arrival | None:
        """The next answer to arrive within `timeout` seconds, else None."""
        try:
            return self.answers.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None

    def close(self) -> None:
        self._connection.close()
        self._reader.join(timeout=3)
