"""The admin's background jobs page: each job with its last and next run and its last error;
"run now" (a plain form post) runs the job before the page is shown again."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models.job import Job
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

    ran = form_post(client, "/hallinto/taustatyot/deliveries_auto_accept/aja")
    assert ran.status_code == 303 and ran.headers["location"] == "/hallinto/taustatyot"
    with Session(engine) as s:
        row = s.get(Job, "deliveries_auto_accept")
        assert row is not None and row.last_run_at is not None
        assert row.attempts == 0 and row.lease_owner is None
        assert row.next_run_at == row.last_run_at + row.interval_seconds
    card = client.get("/hallinto/taustatyot").text.split('id="job-deliveries_auto_accept"')[1]
    assert "Ei vielä ajettu" not in card.split("</tr>")[0]


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
