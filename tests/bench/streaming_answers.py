"""`make bench-streaming`: what LearnFlow adds to an LLM's own latency when it streams an explanation.

The local cloud runs with an LLM: the fake OpenAI-compatible server of the tests, in this process,
writing each explanation in small chunks at a steady pace. One student's socket asks concept
questions one after another; for each answer this process compares, on one clock:

- the first `response.delta` on the socket with the moment the server sent the first chunk that
  holds explanation text (the first token the student could read);
- the final `response` on the socket with the moment the server sent its last content chunk
  (the validation in the sandbox, the commit, Kafka and the response relay all lie between).

It also counts the @connections posts of each answer (deltas, and the final message).
"""

import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from websockets.asyncio.client import ClientConnection

from tests.cloud_process import RunningCloud, running_cloud, sign_up
from tests.e2e.websocket_client import open_socket
from tests.llm.fake_openai import FakeOpenAi, Received, Reply, fake_openai_server

ANSWERS = int(os.environ.get("LEARNFLOW_BENCH_ANSWERS", "20"))
#: about one token per chunk, a token every 12 ms: a fast hosted model's pace
CHUNK_CHARS, CHUNK_SECONDS = 4, 0.012
SENTENCE = "A list comprehension builds a new list from an iterable in one expression, filtering as it goes. "
ANSWER = {
    "explanation": SENTENCE * 8,
    "examples": [{"code": "print([n * n for n in range(4) if n % 2 == 0])", "output": "[0, 4]\n"}],
    "diagram": None,
}
PROSE_STARTS_AFTER = len('{"explanation": "')
console = Console()


def first_prose_chunk_at(received: Received) -> float:
    written = 0
    for sent_at, piece in received.chunks:
        written += len(piece)
        if written > PROSE_STARTS_AFTER:
            return sent_at
    raise AssertionError("the server sent no explanation text")


async def one_answer(api: httpx.Client, socket: ClientConnection, token: str, number: int) -> dict[str, Any]:
    # each question its own: the prompt cache would answer a repeated one without asking the LLM
    question = f"What is a list comprehension? Explain list comprehensions ({number + 1})"
    headers = {"Authorization": f"Bearer {token}"}
    accepted = api.post("/api/v1/query", headers=headers, json={"question": question})
    request_id = accepted.json()["request_id"]
    first_delta_at: float | None = None
    deltas = 0
    async with asyncio.timeout(30):
        while True:
            message = json.loads(await socket.recv())
            arrived = time.monotonic()
            if message.get("request_id") != request_id:
                continue
            if message["type"] == "response.delta":
                first_delta_at = first_delta_at or arrived
                deltas += 1
            elif message["type"] == "response":
                source = message["data"]["source"]
                return {
                    "first_delta_at": first_delta_at,
                    "final_at": arrived,
                    "deltas": deltas,
                    "source": source,
                }


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


async def measure(cloud: RunningCloud, llm: FakeOpenAi) -> list[dict[str, float]]:
    results = []
    with httpx.Client(base_url=cloud.rest_url, timeout=30) as api:
        student = sign_up(api)
        async with await open_socket(cloud.websocket_url, student.access_token) as socket:
            for number in range(ANSWERS + 2):  # two warm-up answers
                llm.reset(
                    default=Reply.answer(ANSWER, chunk_chars=CHUNK_CHARS, chunk_delay_seconds=CHUNK_SECONDS)
                )
                answer = await one_answer(api, socket, student.access_token, number)
                (request,) = llm.received
                if number < 2:
                    continue
                assert answer["source"] == "llm" and answer["first_delta_at"] is not None, answer
                results.append(
                    {
                        "first_delta_ms": (answer["first_delta_at"] - first_prose_chunk_at(request)) * 1000,
                        "final_ms": (answer["final_at"] - request.chunks[-1][0]) * 1000,
                        "writing_s": request.chunks[-1][0] - request.chunks[0][0],
                        "deltas": answer["deltas"],
                    }
                )
    return results


def report(results: list[dict[str, float]]) -> None:
    lines = ["| measure | samples | p50 | p95 | target |", "| --- | ---: | ---: | ---: | ---: |"]
    for name, key, target in (
        ("first `response.delta` after the LLM's first token (ms)", "first_delta_ms", "50 ms p95"),
        ("final `response` after the LLM's last token (ms)", "final_ms", "100 ms p95"),
        ("@connections delta posts per answer", "deltas", ""),
        ("seconds the LLM wrote each answer", "writing_s", ""),
    ):
        p50, p95 = percentiles([result[key] for result in results])
        lines.append(f"| {name} | {len(results)} | {p50:.1f} | {p95:.1f} | {target} |")
    print("\n".join(lines))


def main() -> None:
    console.print(f"streaming {ANSWERS} answers through the local cloud (and 2 to warm up)...")
    with (
        fake_openai_server() as llm,
        tempfile.TemporaryDirectory(prefix="learnflow-bench-streaming-") as data_dir,
        running_cloud(
            Path(data_dir), OPENAI_API_KEY="sk-bench-not-a-real-key", OPENAI_BASE_URL=llm.base_url
        ) as cloud,
    ):
        results = asyncio.run(measure(cloud, llm))
    report(results)


if __name__ == "__main__":
    main()
