"""The local cloud's /metrics: Prometheus text format, and the functions' EMF turned into the same names."""

import asyncio
import io
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO, cast

from prometheus_client.parser import text_string_to_metric_families

from learnflow.observability import count, observe
from localcloud.execution_environments import FunctionError
from localcloud.metrics import CloudMetrics, prometheus_name
from localcloud.runtime import Invocation
from localcloud.worker import EmfCapture


def samples(metrics: CloudMetrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = asyncio.run(metrics.exposition()).decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def printed_emf(emit: Callable[[], None]) -> list[dict[str, Any]]:
    """The EMF documents a function prints, as the worker captures them from its stdout."""
    log = io.StringIO()
    capture = EmfCapture(log)
    printed, sys.stdout = sys.stdout, cast(TextIO, capture)
    try:
        emit()
    finally:
        sys.stdout = printed
    documents = capture.take()
    assert log.getvalue().count("CloudWatchMetrics") == len(documents)  # still written to the function's log
    return documents


def test_names_follow_cloudwatch_names() -> None:
    assert prometheus_name("LearnFlow", "QuestionsAsked") == "learnflow_questions_asked"
    assert prometheus_name("LearnFlow", "LlmPromptTokens") == "learnflow_llm_prompt_tokens"
    assert prometheus_name("LearnFlow", "PoisonRecordsParked") == "learnflow_poison_records_parked"


def test_an_invocation_is_counted_per_function_and_parses_as_prometheus_text() -> None:
    metrics = CloudMetrics()
    metrics.invoked("tutor_api", Invocation(result={}, duration_ms=40.0, queued_ms=5.0, cold_start_ms=30.0))
    metrics.invoked("tutor_api", Invocation(error=FunctionError("Boom", "it broke"), duration_ms=10.0))
    metrics.throttles.labels("execute_api").inc()

    found = samples(metrics)
    tutor = frozenset({("function", "tutor_api")})
    assert found[("localcloud_function_invocations_total", tutor)] == 2
    assert found[("localcloud_function_errors_total", tutor)] == 1
    assert found[("localcloud_function_cold_starts_total", tutor)] == 1
    assert found[("localcloud_function_duration_seconds_count", tutor)] == 2
    assert found[("localcloud_function_duration_seconds_sum", tutor)] == 0.05
    assert found[("localcloud_function_throttles_total", frozenset({("function", "execute_api")}))] == 1


def test_an_emf_line_a_function_prints_becomes_the_same_metric() -> None:
    def handler() -> None:
        print("an ordinary line")
        count("QuestionsAsked", intent="concepts", channel="rest")
        observe("TriageConfidence", 0.85, intent="concepts")
        count("QuestionsAsked", intent="debug", channel="rest")

    documents = printed_emf(handler)
    assert len(documents) == 3
    metrics = CloudMetrics()
    metrics.invoked("tutor_api", Invocation(result={}, metrics=tuple(documents)))

    found = samples(metrics)
    asked = "learnflow_questions_asked_total"
    concepts = {("service", "learnflow"), ("intent", "concepts")}
    assert found[(asked, frozenset(concepts | {("channel", "rest")}))] == 1
    debug = {("service", "learnflow"), ("intent", "debug"), ("channel", "rest")}
    assert found[(asked, frozenset(debug))] == 1
    confidence = frozenset(concepts)
    assert found[("learnflow_triage_confidence_count", confidence)] == 1
    assert found[("learnflow_triage_confidence_bucket", confidence | {("le", "0.8")})] == 0
    assert found[("learnflow_triage_confidence_bucket", confidence | {("le", "0.9")})] == 1


def test_a_malformed_emf_document_is_skipped_not_fatal() -> None:
    metrics = CloudMetrics()
    broken = {"_aws": {"CloudWatchMetrics": [{"Namespace": "LearnFlow"}]}}
    metrics.emf([broken, json.loads(json.dumps(broken))])
    assert ("localcloud_outbox_pending_events", frozenset()) in samples(metrics)
