"""/metrics: requests counted by route template (no ids or words of a raw path in a label),
the database pool, the job and outbox queues read from the database; refused without the
bearer token unless the client is loopback; summed over the workers of `hebu serve
--workers 2`. /readyz checks the database and the search engine."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models.job import Job
from app.models.search import SearchOutbox
from app.services import search
from tests.support import servers

TOKEN = "metrics-token-0123456789abcdef"
LOOPBACK = ("127.0.0.1", 50123)

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def total(samples: Samples, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= set(ls))


def label_values(samples: Samples, name: str, label: str) -> set[str]:
    return {dict(ls)[label] for (n, ls), _v in samples.items() if n == name and label in dict(ls)}


@pytest.fixture
def local(app: FastAPI) -> Iterator[TestClient]:
    """A client on loopback, as Prometheus on the same host is."""
    with TestClient(app, client=LOOPBACK, follow_redirects=False) as c:
        yield c


def scrape(client: TestClient, **headers: str) -> Samples:
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.status_code
    assert answer.headers["content-type"].startswith("text/plain")
    return parse(answer.text)


def test_requests_are_labelled_by_route_template_not_by_path(local: TestClient) -> None:
    before = scrape(local)
    for offer_id in (987654, 987655):
        assert local.get(f"/palvelut/{offer_id}").status_code == 404
    assert local.get("/asiakkaat/424242/budjetti").status_code in (302, 303, 401)
    assert local.get("/no/such/page-hetu-010190-123A").status_code == 404
    after = scrape(local)
    name = "hebu_http_requests_total"
    offer = {"route": "/palvelut/{offer_id}", "method": "GET", "status": "404"}
    assert total(after, name, **offer) - total(before, name, **offer) == 2
    routes = label_values(after, name, "route")
    assert "/asiakkaat/{client_id}/budjetti" in routes
    assert "<unmatched>" in routes
    every_label = {v for (_n, ls), _v in after.items() for _k, v in ls}
    for raw in ("987654", "424242", "hetu", "010190"):
        assert not any(raw in value for value in every_label), raw
    latency = "hebu_http_request_duration_seconds_count"
    assert total(after, latency, **offer) - total(before, latency, **offer) == 2
    assert ("hebu_db_pool_checked_out", frozenset()) in after


def test_the_queues_come_from_the_database(local: TestClient, engine: Engine) -> None:
    ran = int(datetime(2026, 11, 30, 12, tzinfo=UTC).timestamp())
    with Session(engine) as s:
        s.add_all([SearchOutbox(offer_id=1), SearchOutbox(offer_id=2), SearchOutbox(offer_id=2)])
        s.add(
            Job(
                name="retention",
                interval_seconds=86400,
                next_run_at=ran,
                last_run_at=ran - 86400,
                last_duration_ms=1500,
                attempts=2,
            )
        )
        s.commit()
    found = scrape(local)
    assert found[("hebu_database_up", frozenset())] == 1
    assert found[("hebu_search_outbox_backlog", frozenset())] == 3
    assert found[("hebu_notification_outbox_backlog", frozenset())] == 0
    job = frozenset({("job", "retention")})
    assert found[("hebu_job_last_run_timestamp_seconds", job)] == ran - 86400
    assert found[("hebu_job_last_duration_seconds", job)] == 1.5
    assert found[("hebu_job_failures", job)] == 2
    assert found[("hebu_job_due", job)] == 1
    assert found[("hebu_jobs_due", frozenset())] == 1  # the only job with a row is due


def test_without_a_token_only_a_direct_loopback_client_is_answered(
    app: FastAPI, local: TestClient
) -> None:
    with TestClient(app) as remote:  # the test client's address is not loopback
        assert remote.get("/metrics").status_code == 403
    assert local.get("/metrics").status_code == 200
    # Through a proxy on this host (no HEBU_TRUSTED_PROXIES): not the loopback client.
    assert local.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403


def test_the_bearer_token_is_required_from_elsewhere(settings: Settings, engine: Engine) -> None:
    app = create_app(settings.model_copy(update={"metrics_token": TOKEN}), engine)
    with TestClient(app) as remote:
        missing = remote.get("/metrics")
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = remote.get("/metrics", headers={"Authorization": f"Bearer {TOKEN[:-1]}x"})
        assert wrong.status_code == 401
        assert remote.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401
        right = remote.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 200
        assert "hebu_http_requests_total" in right.text


def test_readiness_checks_the_search_engine(local: TestClient) -> None:
    ready = local.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "up", "search": "up"}
    # A Meilisearch nobody listens on: the server is not ready for traffic.
    search.configure(f"http://127.0.0.1:{servers.free_port()}", "key")
    try:
        gone = local.get("/readyz")
    finally:
        search.configure(None)
    assert gone.status_code == 503
    assert gone.json() == {"status": "unavailable", "database": "up", "search": "down"}
    assert local.get("/healthz").status_code == 200


def _per_worker(folder: Path, route: str) -> dict[str, float]:
    """Each worker's own count of the route, from its file in the metrics folder."""
    counts = {}
    for path in folder.glob("counter_*.db"):
        for metric in MultiProcessCollector.merge([str(path)], accumulate=True):
            for sample in metric.samples:
                if sample.name == "hebu_http_requests_total" and sample.labels["route"] == route:
                    counts[path.name] = counts.get(path.name, 0) + sample.value
    return counts


@pytest.mark.slow
def test_counts_add_up_over_two_workers_of_hebu_serve(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_1.db").write_bytes(b"stale")  # a previous run's file is removed
    port = servers.free_port()
    env = {
        **os.environ,
        "HEBU_ENVIRONMENT": "test",
        "HEBU_DATABASE_URL": db_url,
        "HEBU_SECRET_KEY": servers.SECRET,
        "HEBU_HETU_HASH_KEY": servers.SECRET,
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
    }
    hebu = str(Path(sys.executable).with_name("hebu"))
    command = [hebu, "serve", "--workers", "2", "--port", str(port)]
    process = subprocess.Popen(command, cwd=servers.ROOT, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    route = "/palvelut/{offer_id}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.time() < deadline, "hebu serve did not start"
            time.sleep(0.2)
        sent = 0
        # New connections until both workers have answered some (bounded).
        for _ in range(40):
            for _ in range(10):
                assert httpx.get(f"{url}/palvelut/{900000 + sent}").status_code == 404
                sent += 1
            if len(_per_worker(folder, route)) >= 2:
                break
        per_worker = _per_worker(folder, route)
        assert len(per_worker) == 2, per_worker
        scraped = parse(httpx.get(f"{url}/metrics").text)
        name = "hebu_http_requests_total"
        assert total(scraped, name, route=route, status="404") == sent
        assert sum(per_worker.values()) == sent
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode == 0  # SIGTERM is a graceful stop
