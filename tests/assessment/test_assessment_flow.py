"""Filling in a self-assessment over HTTP: sections, autosave, skip, bad input, submit, results."""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models.assessment import Assessment, AssessmentStatus
from app.models.audit import AuditAction, AuditEvent
from app.models.user import User
from app.services.assessment import instruments
from tests.support.web import form_post, htmx_post, login_as


def _get(engine: Engine, assessment_id: int) -> Assessment:
    with Session(engine, expire_on_commit=False) as s:
        found = s.get(Assessment, assessment_id)
        assert found is not None
        return found


def _start(client, key: str = "life-situation") -> int:
    response = form_post(client, "/oma/arviointi/aloita", {"instrument": key})
    assert response.status_code == 303
    match = re.match(r"/oma/arviointi/(\d+)/osio/1$", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def _answers_for(key: str, section_index: int, answers: dict) -> dict:
    instrument = instruments.latest(key)
    assert instrument is not None
    section = instrument.visible_sections(answers)[section_index - 1]
    data: dict = {"instrument_version": str(instrument.version), "action": "next"}
    for item in section.items:
        if item.type == "scale10":
            data[f"a-{item.id}"] = "7"
        elif item.type == "text":
            data[f"a-{item.id}"] = "Ystävät"
        elif item.id == "has_children":
            data[f"a-{item.id}"] = "no"
        else:
            data[f"a-{item.id}"] = item.options[-1].value
    return data


def answer_all(client, assessment_id: int, key: str = "life-situation") -> None:
    answers: dict = {}
    index = 1
    while True:
        data = _answers_for(key, index, answers)
        answers.update({k[2:]: v for k, v in data.items() if k.startswith("a-")})
        response = form_post(client, f"/oma/arviointi/{assessment_id}/osio/{index}", data)
        assert response.status_code == 303, response.text
        if response.headers["location"].endswith("/tarkista"):
            return
        index += 1


def test_whole_assessment_review_submit_and_results(client, demo, engine):
    login_as(client, "client")
    assessment_id = _start(client)
    page = client.get(f"/oma/arviointi/{assessment_id}/osio/1")
    assert page.status_code == 200
    assert "<fieldset" in page.text and "<legend>" in page.text and "<progress" in page.text
    answer_all(client, assessment_id)
    review = client.get(f"/oma/arviointi/{assessment_id}/tarkista")
    assert review.status_code == 200 and "Ystävät" in review.text
    sent = form_post(client, f"/oma/arviointi/{assessment_id}/laheta", {"instrument_version": "1"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/oma/arviointi/{assessment_id}/tulokset?lahetetty=1"
    results = client.get(f"/oma/arviointi/{assessment_id}/tulokset")
    assert results.status_code == 200
    assert (
        'role="img"' in results.text
        and "<title id=" in results.text
        and "<desc id=" in results.text
    )
    assert "<table>" in results.text and "<script" not in results.text.split("<main", 1)[1]
    assert ' style="' not in results.text
    stored = _get(engine, assessment_id)
    assert stored is not None and stored.status == AssessmentStatus.submitted
    assert stored.scores is not None and stored.scores["general"] is not None
    assert "parenthood" not in stored.scores  # no children: the section was not shown
    assert client.get(f"/oma/arviointi/{assessment_id}/tulosta").status_code == 200


def test_submitting_twice_changes_nothing(client, demo, engine):
    login_as(client, "client")
    assessment_id = _start(client, "profile")
    answer_all(client, assessment_id, "profile")
    form_post(client, f"/oma/arviointi/{assessment_id}/laheta", {"instrument_version": "1"})
    first = _get(engine, assessment_id)
    assert first is not None
    sent_at = first.submitted_at
    again = form_post(client, f"/oma/arviointi/{assessment_id}/laheta", {"instrument_version": "1"})
    assert again.status_code == 303
    assert again.headers["location"] == f"/oma/arviointi/{assessment_id}/tulokset"
    assert _get(engine, assessment_id).submitted_at == sent_at
    late = form_post(
        client,
        f"/oma/arviointi/{assessment_id}/osio/1",
        {"instrument_version": "1", "a-language": "fi"},
    )
    assert late.status_code == 409


def test_bad_values_are_refused_and_good_ones_kept(client, demo, engine):
    login_as(client, "client")
    assessment_id = _start(client)
    form_post(
        client, f"/oma/arviointi/{assessment_id}/osio/1", _answers_for("life-situation", 1, {})
    )
    data = {"instrument_version": "1", "action": "next", "a-g1": "11", "a-g2": "4", "a-g3": "9"}
    response = form_post(client, f"/oma/arviointi/{assessment_id}/osio/2", data)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text or "error-text" in response.text
    assert "error-summary" in response.text
    stored = _get(engine, assessment_id)
    assert stored is not None
    assert stored.answers["g2"] == "4" and "g1" not in stored.answers and "g3" not in stored.answers


def test_tampered_version_is_refused_without_losing_answers(client, demo, engine):
    login_as(client, "client")
    assessment_id = _start(client)
    form_post(
        client, f"/oma/arviointi/{assessment_id}/osio/1", _answers_for("life-situation", 1, {})
    )
    data = {"instrument_version": "99", "a-has_children": "yes"}
    response = form_post(client, f"/oma/arviointi/{assessment_id}/osio/1", data)
    assert response.status_code == 409
    stored = _get(engine, assessment_id)
    assert stored is not None and stored.answers["has_children"] == "no"


def test_htmx_autosave_skip_and_resume(client, demo, engine):
    login_as(client, "client")
    assessment_id = _start(client)
    data = {
        "instrument_version": "1",
        "a-has_children": "yes",
        "skip-matters_most": "1",
        "autosave": "1",
        "action": "next",  # htmx sends the last focused button too: still only a save
    }
    saved = htmx_post(client, f"/oma/arviointi/{assessment_id}/osio/1", data)
    assert saved.status_code == 200 and "<html" not in saved.text
    stored = _get(engine, assessment_id)
    assert stored is not None
    assert stored.answers == {"has_children": "yes"} and stored.skipped == ["matters_most"]
    # Leave and come back: the same draft continues with the answers in place.
    assert _start(client) == assessment_id
    page = client.get(f"/oma/arviointi/{assessment_id}/osio/1")
    assert re.search(r'value="yes" checked', page.text)
    # Children: the parenthood part is now shown as a ninth part.
    parenthood = client.get(f"/oma/arviointi/{assessment_id}/osio/9")
    assert parenthood.status_code == 200 and 'name="a-c1"' in parenthood.text
    assert client.get(f"/oma/arviointi/{assessment_id}/osio/10").status_code == 404


def test_someone_elses_assessment_is_refused_and_logged(client, demo, engine):
    login_as(client, "client")
    assessment_id = _start(client)
    form_post(client, "/logout")
    login_as(client, "client-sv")
    response = form_post(
        client,
        f"/oma/arviointi/{assessment_id}/osio/1",
        {"instrument_version": "1", "a-has_children": "yes"},
    )
    assert response.status_code == 403
    assert client.get(f"/oma/arviointi/{assessment_id}/osio/1").status_code == 403
    with Session(engine) as session:
        intruder = session.exec(select(User).where(User.dev_persona == "client-sv")).one()
        denied = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == AuditAction.denied, AuditEvent.actor_id == intruder.id
            )
        ).all()
    assert len(denied) == 2 and denied[0].record_id == str(assessment_id)
    stored = _get(engine, assessment_id)
    assert stored is not None and stored.answers == {}
