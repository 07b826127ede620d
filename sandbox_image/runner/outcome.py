"""What the zygote saw of one run -> the status, message and results a student receives."""

import os
import signal
from collections.abc import Callable
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


#: a run's status as the contract names it, its exit code, and the one sentence a student reads
Verdict = tuple[str, int, str | None]


def classify(seen: Observation, limits: Limits) -> Verdict:
    """The run's verdict: the zygote's own stop first, then a refusal, then what the child reported."""
    stopped = _stopped_by_the_zygote(seen, limits)
    if stopped is not None:
        return stopped
    done = seen.last("done") or {}
    refused = _refused(seen, done)
    if refused is not None:
        return refused
    reported = _REPORTED_OUTCOMES.get(str(done.get("outcome")))
    if reported is not None:
        return reported(done, limits)
    return _unreported(seen, done, limits)


def _stopped_by_the_zygote(seen: Observation, limits: Limits) -> Verdict | None:
    if seen.killed_for == "output_limit":
        kilobytes = limits.output_bytes // 1024
        return (
            "output_limit",
            128 + signal.SIGKILL,
            f"Your program printed more than {kilobytes} KB, so its output was cut off and it was stopped.",
        )
    if seen.killed_for == "timeout":
        return (
            "timeout",
            128 + signal.SIGKILL,
            f"Your program ran for more than {limits.wall_seconds:g} seconds and was stopped;"
            " look for a loop that never ends.",
        )
    return None


def _refused(seen: Observation, done: dict[str, Any]) -> Verdict | None:
    """The static check's refusal (the run's reported outcome) or the guard's (a violation event)."""
    violation = seen.last("violation")
    if done.get("outcome") == "blocked":
        return "blocked", 1, _sentence(str(done.get("message") or (violation or {}).get("message")))
    if violation is not None:
        return "blocked", _exit_code(seen), _sentence(str(violation["message"]))
    return None


def _out_of_memory(_done: dict[str, Any], limits: Limits) -> Verdict:
    megabytes = limits.memory_bytes // (1024 * 1024)
    return "memory_limit", 1, f"Your program used more than {megabytes} MB of memory and was stopped."


def _syntax_error(done: dict[str, Any], _limits: Limits) -> Verdict:
    return "error", 1, _sentence(f"Your program has a syntax error on line {done['line']}: {done['message']}")


def _exception(done: dict[str, Any], _limits: Limits) -> Verdict:
    error = done.get("error") or {}
    where = f" on line {error['line']}" if error.get("line") else ""
    detail = f": {error['text']}" if error.get("text") else ""
    return "error", 1, _sentence(f"Your program stopped with {error.get('type', 'an error')}{where}{detail}")


def _exited(done: dict[str, Any], _limits: Limits) -> Verdict:
    code = int(done.get("exit_code") or 1)
    return "error", code, f"Your program exited with status {code}."


def _finished(_done: dict[str, Any], _limits: Limits) -> Verdict:
    return "ok", 0, None


#: the verdict for each outcome the child reports when it finishes (refusals aside)
_REPORTED_OUTCOMES: dict[str, Callable[[dict[str, Any], Limits], Verdict]] = {
    "memory": _out_of_memory,
    "syntax": _syntax_error,
    "exception": _exception,
    "exit": _exited,
    "ok": _finished,
}


def _unreported(seen: Observation, done: dict[str, Any], limits: Limits) -> Verdict:
    """The child ended without reporting an outcome: its wait status tells what happened."""
    if not done and _signalled(seen.wait_status, signal.SIGXCPU, signal.SIGKILL):
        return (
            "timeout",
            _exit_code(seen),
            f"Your program used more than {limits.cpu_seconds} seconds of processor time and was stopped.",
        )
    if seen.last("internal") is not None:
        return "error", 1, "The sandbox could not run your program; please try again."
    terminating_signal = _terminating_signal(seen.wait_status)
    if terminating_signal:
        return "error", _exit_code(seen), f"Your program crashed ({_signal_name(terminating_signal)})."
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
