"""A small OpenAI-compatible server for the tests: real HTTP, scripted answers, recorded requests.

Each request to `POST /v1/chat/completions` takes the next scripted `Reply` (the default one when
the script is empty); the tests point the real `openai` client at `base_url`.
"""

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.conftest import free_port


@dataclass(frozen=True)
class Reply:
    status: int = 200
    content: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0
    prompt_tokens: int = 120
    completion_tokens: int = 80

    @classmethod
    def answer(cls, value: dict[str, Any], **options: Any) -> "Reply":
        return cls(content=json.dumps(value), **options)

    @classmethod
    def error(cls, status: int, **options: Any) -> "Reply":
        return cls(status=status, **options)


@dataclass(frozen=True)
class Received:
    at: float
    body: dict[str, Any]
    headers: dict[str, str]


class FakeOpenAi:
    def __init__(self) -> None:
        self.script: deque[Reply] = deque()
        self.default = Reply.error(500)
        self.received: list[Received] = []
        self.base_url = ""

    def enqueue(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def reset(self, default: Reply | None = None) -> None:
        self.script.clear()
        self.received.clear()
        self.default = default or Reply.error(500)

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.received.append(Received(time.monotonic(), body, dict(request.headers)))
        reply = self.script.popleft() if self.script else self.default
        if reply.delay_seconds:
            await asyncio.sleep(reply.delay_seconds)
        if reply.status != 200:
            error = {"error": {"message": f"scripted {reply.status}", "type": "server_error", "code": None}}
            return web.json_response(error, status=reply.status, headers=reply.headers)
        completion = {
            "id": f"chatcmpl-{len(self.received)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.content, "refusal": None},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": reply.prompt_tokens,
                "completion_tokens": reply.completion_tokens,
                "total_tokens": reply.prompt_tokens + reply.completion_tokens,
            },
        }
        return web.json_response(completion, headers=reply.headers)


@contextmanager
def fake_openai_server() -> Iterator[FakeOpenAi]:
    """Serves a `FakeOpenAi` on a free port from a thread of its own until the block ends."""
    fake = FakeOpenAi()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake._completions)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    port = free_port()

    async def start() -> None:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    fake.base_url = f"http://127.0.0.1:{port}/v1"
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
