"""A small OpenAI-compatible server for the tests: real HTTP, scripted answers, recorded requests.

Each request to `POST /v1/chat/completions` takes the next scripted `Reply` (the default one when
the script is empty); the tests point the real `openai` client at `base_url`.

A request with `"stream": true` gets its answer as Server-Sent Events, as OpenAI sends them: the
content in chunks of `chunk_chars` characters `chunk_delay_seconds` apart (the first after
`first_token_delay_seconds`), a last chunk with the finish reason, the usage in a chunk of its own
when `stream_options.include_usage` asks for it, then `data: [DONE]`. `cut_after_chunks` closes the
connection after that many content chunks instead, without a last chunk or [DONE]. When each chunk
was sent is recorded (`Received.chunks`).
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
    chunk_chars: int = 12
    chunk_delay_seconds: float = 0.0
    first_token_delay_seconds: float = 0.0
    cut_after_chunks: int | None = None

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
    #: a streamed answer: (time.monotonic() when sent, content) of each content chunk
    chunks: list[tuple[float, str]] = field(default_factory=list)


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
        received = Received(time.monotonic(), body, dict(request.headers))
        self.received.append(received)
        reply = self.script.popleft() if self.script else self.default
        if reply.delay_seconds:
            await asyncio.sleep(reply.delay_seconds)
        if reply.status != 200:
            error = {"error": {"message": f"scripted {reply.status}", "type": "server_error", "code": None}}
            return web.json_response(error, status=reply.status, headers=reply.headers)
        if body.get("stream"):
            return await _streamed(request, body, reply, received, len(self.received))
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


def _chunk(body: dict[str, Any], number: int, **fields: Any) -> bytes:
    chunk = {
        "id": f"chatcmpl-{number}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [],
    } | fields
    return f"data: {json.dumps(chunk)}\n\n".encode()


def _choice(delta: dict[str, str], finish_reason: str | None = None) -> dict[str, Any]:
    return {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}


async def _streamed(
    request: web.Request, body: dict[str, Any], reply: Reply, received: Received, number: int
) -> web.StreamResponse:
    try:
        return await _write_stream(request, body, reply, received, number)
    except ConnectionResetError:  # the client gave up (its timeout) before the answer was written
        return web.StreamResponse()


async def _write_stream(
    request: web.Request, body: dict[str, Any], reply: Reply, received: Received, number: int
) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", **reply.headers})
    await response.prepare(request)
    await response.write(_chunk(body, number, choices=[_choice({"role": "assistant", "content": ""})]))
    content = reply.content or ""
    size = reply.chunk_chars
    pieces = [content[start : start + size] for start in range(0, len(content), size)]
    await asyncio.sleep(reply.first_token_delay_seconds)
    for index, piece in enumerate(pieces):
        if index == reply.cut_after_chunks:
            assert request.transport is not None
            request.transport.close()  # the connection drops mid-answer: no last chunk, no [DONE]
            return response
        if index:
            await asyncio.sleep(reply.chunk_delay_seconds)
        await response.write(_chunk(body, number, choices=[_choice({"content": piece})]))
        received.chunks.append((time.monotonic(), piece))
    await response.write(_chunk(body, number, choices=[_choice({}, "stop")]))
    if (body.get("stream_options") or {}).get("include_usage"):
        usage = {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        }
        await response.write(_chunk(body, number, usage=usage))
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    return response


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
