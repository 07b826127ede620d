"""A streamed answer's text on a student's sockets: the domain's `DeltaSink` over @connections.

Pieces written are sent as `{"type": "response.delta", "request_id", "seq", "delta"}`, to every
connection the student had when the first piece came, at most once per connection per batch window
(the first piece at once, the rest gathered while the window lasts), then a final flush at `end`.
`retract` drops what is held back and sends `{"type": "response.retracted", "request_id", "reason"}`.
A sender thread posts, so the caller keeps reading the LLM meanwhile. A connection that is gone, or
that a post fails for, is left out from then on: the answer itself never fails for it.
"""

import math
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from learnflow.domain.ports import ConnectionPusher
from learnflow.observability import logger

DELTA = "response.delta"
RETRACTED = "response.retracted"


class SocketDeltaStream:
    def __init__(
        self,
        pusher: ConnectionPusher,
        connections: Callable[[], list[str]],
        request_id: str,
        batch_seconds: float,
    ) -> None:
        self._pusher = pusher
        self._find_connections = connections
        self._request_id = request_id
        self._batch_seconds = batch_seconds
        self._connections: list[str] | None = None
        self._held: list[str] = []
        self._seq = 0
        self._last_post = -math.inf
        self._finished = False
        self._retracted = False
        self._changed = threading.Condition()
        self._sender: threading.Thread | None = None

    @property
    def posts(self) -> int:
        """How many delta messages were sent (each to every live connection)."""
        return self._seq

    def write(self, text: str) -> None:
        if not text or self._finished:
            return
        if self._connections is None:  # in the caller's thread, which owns the connection store
            self._connections = list(self._find_connections())
        if not self._connections:
            return
        with self._changed:
            self._held.append(text)
            if self._sender is None:
                self._sender = threading.Thread(target=self._send_batches, name="delta-sender", daemon=True)
                self._sender.start()
            self._changed.notify()

    def end(self) -> None:
        """Sends what is held back now and stops; later writes are ignored."""
        self._stop(keep_held=True)

    def retract(self, reason: str) -> None:
        """Drops what is held back and tells every connection that the text shown is withdrawn."""
        if self._retracted:
            return
        self._stop(keep_held=False)
        self._retracted = True
        if self._connections:
            self._post({"type": RETRACTED, "request_id": self._request_id, "reason": reason})

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.end()

    def _stop(self, *, keep_held: bool) -> None:
        with self._changed:
            self._finished = True
            if not keep_held:
                self._held.clear()
            self._changed.notify()
        if self._sender is not None:
            self._sender.join()

    def _send_batches(self) -> None:
        while True:
            with self._changed:
                batch = self._next_batch()
                if batch is None:
                    return
                message = {"type": DELTA, "request_id": self._request_id, "seq": self._seq, "delta": batch}
                self._seq += 1
                self._last_post = time.monotonic()
            self._post(message)

    def _next_batch(self) -> str | None:
        """Waits (holding the lock) until the window allows a post; None once finished with nothing held."""
        while True:
            if not self._held:
                if self._finished:
                    return None
                self._changed.wait()
                continue
            wait = self._last_post + self._batch_seconds - time.monotonic()
            if wait > 0 and not self._finished:
                self._changed.wait(wait)
                continue
            batch = "".join(self._held)
            self._held.clear()
            return batch

    def _post(self, message: dict[str, Any]) -> None:
        for connection_id in list(self._connections or []):
            try:
                delivered = self._pusher.push(connection_id, message)
            except Exception:  # a post that fails leaves this connection out; the answer goes on
                logger.warning("a streamed piece could not be posted", extra={"connection": connection_id})
                delivered = False
            if not delivered and self._connections is not None:
                self._connections.remove(connection_id)
