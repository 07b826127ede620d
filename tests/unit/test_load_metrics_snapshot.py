"""`make load`'s metrics snapshot: peaks across the scrapes during the run, totals from the last one."""

import json
from pathlib import Path

import httpx
import pytest
from prometheus_client import generate_latest

from localcloud.execution_environments import Invocation
from localcloud.metrics import CloudMetrics
from tests.performance.run_load import MetricsWatch


def serve(monkeypatch: pytest.MonkeyPatch, metrics: CloudMetrics) -> None:
    def get(url: str, timeout: float) -> httpx.Response:
        return httpx.Response(
            200, content=generate_latest(metrics.registry), request=httpx.Request("GET", url)
        )

    monkeypatch.setattr(httpx, "get", get)


def test_peaks_and_totals_go_to_the_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    metrics = CloudMetrics()
    serve(monkeypatch, metrics)
    watch = MetricsWatch("http://127.0.0.1:1/metrics")

    metrics.workers.labels("tutor_api").set(3)
    metrics.workers.labels("concepts_agent").set(2)
    metrics.invoked("tutor_api", Invocation(result={}, queued_ms=40.0))
    watch.scrape()
    metrics.workers.labels("tutor_api").set(1)
    metrics.invoked("tutor_api", Invocation(result={}, queued_ms=0.0))
    metrics.rest_requests.labels("POST", "/api/v1/query", "5xx").inc()
    watch.scrape()
    watch.save(tmp_path)

    snapshot = json.loads((tmp_path / "metrics.json").read_text())
    assert snapshot["peaks"]["execution environments (all functions)"] == 5
    assert snapshot["peaks"]["mean wait for an environment over 5 s (ms)"] == pytest.approx(40.0)
    assert snapshot["totals"]["function invocations"] == 2
    assert snapshot["totals"]["REST 5xx"] == 1
    assert "localcloud_function_workers" in (tmp_path / "metrics.txt").read_text()
