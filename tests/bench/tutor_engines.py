"""`make bench-tutor`: the offline tutor engine's latency per agent and the triage accuracy.

Each agent's domain work is timed in this process (no database, no broker: `make bench` measures
those hops), over the labelled student queries of tests/data, after a warm-up; the baseline is an
empty call measured in the same run. Then the guardrails' figures (`tests/bench/guardrails.py`): the
guard's catch rate over the prompt-injection corpus and the hint leaks over the debug corpus.
"""

import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from learnflow.domain.concept_answers import explanation_for
from learnflow.domain.exercise_assignment import concept_for_topic, difficulty_asked
from learnflow.domain.exercise_bank import History, choose, difficulty_for_mastery
from learnflow.domain.learning_answers import progress_summary
from learnflow.domain.triage import ErrorPattern, StudentContext, classify
from tests.bench import guardrails

DATA = Path(__file__).parents[1] / "data"
ROUNDS = int(os.environ.get("LEARNFLOW_BENCH_ROUNDS", "5"))
console = Console()


def load(name: str) -> list[dict[str, Any]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


def timed(queries: list[dict[str, Any]], work: Callable[[dict[str, Any]], object]) -> list[float]:
    for query in queries[:20]:
        work(query)
    samples = []
    for _ in range(ROUNDS):
        for query in queries:
            started = time.perf_counter()
            work(query)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def accuracy(queries: list[dict[str, Any]]) -> float:
    right = 0
    for query in queries:
        result = classify(query["question"], query.get("code"), query.get("error"))
        right += not result.clarification and result.intent == query["intent"]
    return right / len(queries)


CONTEXT = StudentContext(
    mastery=55,
    topic_mastery={"basics": 80, "functions": 45, "data-structures": 62},
    recent_errors=(ErrorPattern("KeyError", 3), ErrorPattern("TypeError", 1)),
)
HISTORY = History(passed=frozenset({"swap-values", "shout", "leap-year"}), last_assigned={"palindrome": 4})


def exercise_agent(query: dict[str, Any]) -> object:
    concept = concept_for_topic(query["question"])
    difficulty = difficulty_asked(query["question"]) or difficulty_for_mastery(CONTEXT.mastery)
    return choose(concept.slug if concept else "variables", difficulty, HISTORY)


def main() -> None:
    dev, holdout = load("triage_queries.jsonl"), load("triage_queries_holdout.jsonl")
    queries = dev + holdout
    by_intent = {intent: [q for q in queries if q["intent"] == intent] for intent in ("concepts", "exercise")}
    rows = [
        ("baseline: an empty call", timed(queries, lambda query: None)),
        (
            "triage (classify with code and error)",
            timed(queries, lambda q: classify(q["question"], q.get("code"), q.get("error"), CONTEXT)),
        ),
        (
            "concepts agent (offline explanation)",
            timed(by_intent["concepts"], lambda q: explanation_for(q["question"], CONTEXT.mastery)),
        ),
        ("exercise agent (topic, difficulty, bank choice)", timed(by_intent["exercise"], exercise_agent)),
        (
            "progress agent (summary, what to study next)",
            timed(queries[:50], lambda q: progress_summary(CONTEXT, HISTORY.passed)),
        ),
    ]
    table = Table(title=f"Offline tutor engine, {ROUNDS} rounds over {len(queries)} labelled queries")
    for column in ("work", "samples", "p50 ms", "p95 ms"):
        table.add_column(column, justify="left" if column == "work" else "right")
    lines = ["| work | samples | p50 ms | p95 ms |", "| --- | ---: | ---: | ---: |"]
    for name, samples in rows:
        p50, p95 = percentiles(samples)
        table.add_row(name, str(len(samples)), f"{p50:.3f}", f"{p95:.3f}")
        lines.append(f"| {name} | {len(samples)} | {p50:.3f} | {p95:.3f} |")
    console.print(table)
    held, developed = accuracy(holdout), accuracy(dev)
    console.print(
        f"triage accuracy: held-out {held:.3f} ({len(holdout)} queries), dev {developed:.3f} ({len(dev)})"
    )
    print("\n".join(lines))
    print(
        f"\ntriage accuracy: held-out {held:.3f} on {len(holdout)} queries;"
        f" dev set {developed:.3f} on {len(dev)}"
    )
    print("\n".join(["", *guardrails.report()]))


if __name__ == "__main__":
    main()
