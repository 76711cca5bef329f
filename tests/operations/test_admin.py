"""The admin's background jobs page: each job with its last and next run and its last error;
"run now" (a plain form post) only makes the job due: the runner's next pass runs it, never
the request."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.models.job import Job
from app.services.operations import registry, runner
from tests.support.web import form_post, login_as


def test_the_admin_sees_the_jobs_and_runs_one_now(
    client: TestClient, demo: None, engine: Engine
) -> None:
    login_as(client, "admin")
    page = client.get("/hallinto/taustatyot")
    assert page.status_code == 200
    assert "Toimitusten automaattinen hyväksyntä" in page.text
    assert 'action="/hallinto/taustatyot/deliveries_auto_accept/aja"' in page.text
    assert "Ei vielä ajettu" in page.text

    before = int(time.time())
    ran = form_post(client, "/hallinto/taustatyot/deliveries_auto_accept/aja")
    assert ran.status_code == 303
    assert ran.headers["location"] == "/hallinto/taustatyot?ajoon=deliveries_auto_accept"
    with Session(engine) as s:
        row = s.get(Job, "deliveries_auto_accept")
        assert row is not None and row.last_run_at is None  # not run in the request
        assert before <= row.next_run_at <= int(time.time()) and row.lease_owner is None
    shown = client.get(ran.headers["location"]).text
    assert "Toimitusten automaattinen hyväksyntä on nyt ajovuorossa" in shown
    card = shown.split('id="job-deliveries_auto_accept"')[1].split("</tr>")[0]
    assert "Ei vielä ajettu" in card and "odottaa taustatyötä" in card

    # The worker's next pass (here: one pass, as `hebu worker --once`) runs it.
    spec = next(j for j in registry.jobs(Settings()) if j.name == "deliveries_auto_accept")
    outcomes = runner.run_due(engine, [spec])
    assert [o.name for o in outcomes] == ["deliveries_auto_accept"]
    with Session(engine) as s:
        row = s.get(Job, "deliveries_auto_accept")
        assert row is not None and row.last_run_at is not None
        assert row.attempts == 0 and row.lease_owner is None
        assert row.next_run_at == row.last_run_at + row.interval_seconds
    card = client.get("/hallinto/taustatyot").text.split('id="job-deliveries_auto_accept"')[1]
    assert "Ei vielä ajettu" not in card.split("</tr>")[0]


def test_run_now_of_an_unknown_job_is_not_found(client: TestClient, demo: None) -> None:
    login_as(client, "admin")
    assert form_post(client, "/hallinto/taustatyot/no_such_job/aja").status_code == 404
    page = client.get("/hallinto/taustatyot?ajoon=no_such_job").text
    assert "ajovuorossa" not in page


def test_a_failed_run_shows_its_error(client: TestClient, demo: None, engine: Engine) -> None:
    with Session(engine) as s:
        s.add(
            Job(
                name="search_outbox",
                interval_seconds=60,
                next_run_at=2_000_000_000,
                attempts=3,
                last_run_at=1_790_000_000,
                last_error="SearchUnavailable: connection refused",
            )
        )
        s.commit()
    login_as(client, "admin")
    row = client.get("/hallinto/taustatyot").text.split('id="job-search_outbox"')[1]
    row = row.split("</tr>")[0]
    assert "SearchUnavailable: connection refused" in row and "<td>3</td>" in row
