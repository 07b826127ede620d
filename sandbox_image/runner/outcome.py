"""What the zygote saw of one run -> the status, message and results a student receives."""

import os
import signal
from dataclasses import dataclass, field
from typing import Any

from sandbox_image.runner.policy import Limits


@dataclass
class Observation:
    """Everything the zygote learnt while supervising one child."""

    stdout: bytes = b""
    stderr: bytes = b""
    events: list[dict[str, Any]] = field(default_factory=list)
    wait_status: int = 0
    killed_for: str | None = None  # "timeout" or "output_limit"
    duration_ms: float = 0.0

    def last(self, name: str) -> dict[str, Any] | None:
        return next((event for event in reversed(self.events) if event.get("event") == name), None)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > 200:
        text = text[:197] + "..."
    return text if text.endswith((".", "!", "?")) else text + "."


def classify(seen: Observation, limits: Limits) -> tuple[str, int, str | None]:
    """(status, exit_code, message) of a run, the contract's /execute status and one sentence."""
    megabytes = limits.memory_bytes // (1024 * 1024)
    kilobytes = limits.output_bytes // 1024
    seconds = f"{limits.wall_seconds:g}"
    if seen.killed_for == "output_limit":
        return (
            "output_limit",
            128 + signal.SIGKILL,
            f"Your program printed more than {kilobytes} KB, so its output was cut off and it was stopped.",
        )
    if seen.killed_for == "timeout":
        return (
            "timeout",
            128 + signal.SIGKILL,
            f"Your program ran for more than {seconds} seconds and was stopped;"
            " look for a loop that never ends.",
        )
    done = seen.last("done") or {}
    outcome = done.get("outcome")
    violation = seen.last("violation")
    if outcome == "blocked":
        return "blocked", 1, _sentence(str(done.get("message") or (violation or {}).get("message")))
    if violation is not None:
        return "blocked", _exit_code(seen), _sentence(str(violation["message"]))
    if outcome == "memory":
        return "memory_limit", 1, f"Your program used more than {megabytes} MB of memory and was stopped."
    if outcome == "syntax":
        return (
            "error",
            1,
            _sentence(f"Your program has a syntax error on line {done['line']}: {done['message']}"),
        )
    if _signalled(seen.wait_status, signal.SIGXCPU, signal.SIGKILL) and not done:
        return (
            "timeout",
            _exit_code(seen),
            f"Your program used more than {limits.cpu_seconds} seconds of processor time and was stopped.",
        )
    if outcome == "exception":
        error = done.get("error") or {}
        where = f" on line {error['line']}" if error.get("line") else ""
        detail = f": {error['text']}" if error.get("text") else ""
        return (
            "error",
            1,
            _sentence(f"Your program stopped with {error.get('type', 'an error')}{where}{detail}"),
        )
    if outcome == "exit":
        code = int(done.get("exit_code") or 1)
        return "error", code, f"Your program exited with status {code}."
    if outcome == "ok":
        return "ok", 0, None
    if seen.last("internal") is not None:
        return "error", 1, "The sandbox could not run your program; please try again."
    if seen.wait_status and _terminating_signal(seen.wait_status):
        name = _signal_name(_terminating_signal(seen.wait_status))
        return "error", _exit_code(seen), f"Your program crashed ({name})."
    return "error", _exit_code(seen) or 1, "Your program ended before reporting its result."


def _terminating_signal(wait_status: int) -> int:
    return os.WTERMSIG(wait_status) if os.WIFSIGNALED(wait_status) else 0


def _signalled(wait_status: int, *signals: int) -> bool:
    return _terminating_signal(wait_status) in signals


def _exit_code(seen: Observation) -> int:
    if os.WIFSIGNALED(seen.wait_status):
        return 128 + os.WTERMSIG(seen.wait_status)
    return os.WEXITSTATUS(seen.wait_status) if os.WIFEXITED(seen.wait_status) else 1


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def execution_result(seen: Observation, limits: Limits) -> dict[str, Any]:
    status, exit_code, message = classify(seen, limits)
    return {
        "status": status,
        "stdout": _decode(seen.stdout),
        "stderr": _decode(seen.stderr),
        "exit_code": exit_code,
        "duration_ms": round(seen.duration_ms, 2),
        "truncated": seen.killed_for == "output_limit",
        "message": message,
    }


def grade_result(seen: Observation, limits: Limits) -> dict[str, Any]:
    """Per-test results in file order; tests that never reported take the run's reason as their error."""
    execution = execution_result(seen, limits)
    collected = seen.last("collected") or {"tests": []}
    reported = {event["name"]: event for event in seen.events if event.get("event") == "test"}
    reason = execution["message"] or "The test did not run."
    tests = []
    for name in collected["tests"]:
        event = reported.get(name)
        if event is None:
            tests.append({"name": name, "status": "error", "message": reason, "output": ""})
        else:
            tests.append(
                {
                    "name": name,
                    "status": event["status"],
                    "message": event["message"],
                    "output": event["output"],
                }
            )
    passed = sum(1 for test in tests if test["status"] == "pass")
    score = round(passed * 100 / len(tests)) if tests else 0
    if execution["status"] != "ok" or not tests:
        status = "error"
    else:
        status = "passed" if passed == len(tests) else "failed"
    message = execution["message"] if execution["status"] != "ok" else None
    if not tests and message is None:
        message = "The tests define no test to run."
    return {
        "status": status,
        "score": score,
        "tests": tests,
        "duration_ms": execution["duration_ms"],
        "message": message,
        "execution_status": execution["status"],
        "stdout": execution["stdout"],
        "stderr": execution["stderr"],
    }
