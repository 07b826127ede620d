"""`make bench-debug`: the debug and review agents' latency (offline engine) and the corpus accuracy.

Prints a Markdown table for docs/benchmarks.md. Baselines measured in the same run: a bare sandbox
run of `print(1)` (the floor of anything that runs code) and one `ruff check` subprocess on the
same file (the floor of a review). Samples per figure: LEARNFLOW_BENCH_SAMPLES (default 100).
"""

import os
import statistics
import time
from collections.abc import Callable

from learnflow.domain.debugging import analyze
from learnflow.domain.review import review_code
from learnflow.domain.review.linters import run_ruff
from localcloud.sandbox import LocalSandbox
from tests.data.debug_corpus.truth import corpus_truths

SAMPLES = int(os.environ.get("LEARNFLOW_BENCH_SAMPLES", "100"))

_FUNCTIONS = """
def fib_{n}(n):
    if n < 2:
        return n
    return fib_{n}(n-1) + fib_{n}(n-2)


def total_{n}(xs=[]):
    s = ""
    for i in range(len(xs)):
        s += str(xs[i])
    return s


def common_{n}(words):
    best = None
    for w in words:
        if best == None or words.count(w) > words.count(best):
            best = w
    return best


def shared_{n}(a, b):
    found = []
    wanted = [x for x in b]
    for x in a:
        if x in wanted:
            found.append(x)
    return found
"""


def two_hundred_lines() -> str:
    code = "import os\n"
    n = 0
    while code.count("\n") < 200:
        code += _FUNCTIONS.format(n=n)
        n += 1
    return "\n".join(code.splitlines()[:200]) + "\n"


def percentiles(action: Callable[[], object], samples: int = SAMPLES, warmup: int = 3) -> tuple[float, float]:
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(samples):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    quantiles = statistics.quantiles(timings, n=100)
    return statistics.median(timings), quantiles[94]


def main() -> None:
    sandbox = LocalSandbox()
    truths = corpus_truths()
    pasted_right = sum(
        1
        for truth in truths
        if (lambda r: (r.error_type, r.line))(analyze(truth.code, truth.stderr))
        == (truth.error_type, truth.line)
    )
    alone_right = sum(
        1
        for truth in truths
        if (lambda r: (r.error_type, r.line))(analyze(truth.code, None, sandbox, stdin=truth.stdin))
        == (truth.error_type, truth.line)
    )
    file_200 = two_hundred_lines()
    runtime_truths = [
        truth for truth in truths if truth.error_type not in {"SyntaxError", "IndentationError", "TabError"}
    ]
    cycle = iter(range(10**9))

    def pasted() -> object:
        truth = truths[next(cycle) % len(truths)]
        return analyze(truth.code, truth.stderr)

    def alone() -> object:
        truth = runtime_truths[next(cycle) % len(runtime_truths)]
        return analyze(truth.code, None, sandbox, stdin=truth.stdin)

    rows = [
        ("sandbox run of `print(1)` (baseline)", percentiles(lambda: sandbox.run("print(1)"))),
        ("debug: pasted traceback, corpus programs", percentiles(pasted)),
        ("debug: code alone, run in the sandbox + fix verified", percentiles(alone)),
        (
            "`ruff check` of the 200-line file (baseline)",
            percentiles(lambda: run_ruff(file_200), SAMPLES // 2),
        ),
        (
            "review: 200-line file, without behaviour checks",
            percentiles(lambda: review_code(file_200, None), SAMPLES // 2),
        ),
        (
            "review: 200-line file, suggestions checked in the sandbox",
            percentiles(lambda: review_code(file_200, sandbox), SAMPLES // 2),
        ),
    ]
    sandbox.close()
    print(
        f"{len(truths)} corpus programs, {SAMPLES} samples per debug figure, {SAMPLES // 2} per review "
        "figure\n"
    )
    print("| measure | p50 ms | p95 ms |")
    print("| --- | ---: | ---: |")
    for name, (p50, p95) in rows:
        print(f"| {name} | {p50:.1f} | {p95:.1f} |")
    print()
    print(
        f"corpus accuracy (error type and line as CPython reports them), pasted traceback: "
        f"{pasted_right}/{len(truths)} = {pasted_right / len(truths):.1%}"
    )
    print(
        f"corpus accuracy, code alone through the sandbox: {alone_right}/{len(truths)} = "
        f"{alone_right / len(truths):.1%}"
    )


if __name__ == "__main__":
    main()
