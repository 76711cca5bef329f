"""Goals in plain words: progress as "N of M goals as hoped or better" over a fixed set of
goals, errors that name the field, the five levels asked as numbered questions, check-ins
asked against "as hoped"; the self-assessment's progress bar keeps its total."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models.actor import Actor
from app.models.assessment import Assessment
from app.models.goal import GoalStatus
from app.models.mandate import Mandate
from app.models.user import Membership, Role, User
from app.services.assessment import assessments, goals, instruments
from app.services.identity.mandates import today
from tests.assessment.test_goals_and_caseworker import GOAL, _goal_id
from tests.support.web import form_post, login_as

FI = {"Accept-Language": "fi"}


def _client(session: Session) -> Actor:
    user = User(display_name="Asiakas")
    session.add(user)
    session.flush()
    return Actor(user=user, memberships=(Membership(user_id=user.id, role=Role.client),))


def test_progress_counts_goals_as_hoped_over_a_fixed_set(session: Session) -> None:
    actor = _client(session)
    made = [
        goals.create(session, actor, goals.GoalForm(what=w, baseline_level=-1, target_level=0))
        for w in ("Ulkoilen", "Siivoan", "Soitan ystävälle")
    ]
    found = goals.goals_of(session, actor, actor.subject_id)
    entries = goals.check_ins(session, [g.id for g in found if g.id])
    assert goals.progress_for(found, entries) == goals.Progress(0, 3)  # all at -1 (now)
    goals.check_in(session, actor, made[0], goals.CheckInForm(level=0))
    goals.check_in(session, actor, made[1], goals.CheckInForm(level=1))
    goals.set_status(session, actor, made[1], goals.StatusForm(status=GoalStatus.achieved))
    found = goals.goals_of(session, actor, actor.subject_id)
    entries = goals.check_ins(session, [g.id for g in found if g.id])
    assert goals.progress_for(found, entries) == goals.Progress(2, 3)  # total unchanged
    goals.check_in(session, actor, made[0], goals.CheckInForm(level=-2))
    entries = goals.check_ins(session, [g.id for g in found if g.id])
    assert goals.progress_for(found, entries) == goals.Progress(1, 3)


def test_the_progress_bar_keeps_its_total_when_a_part_is_left_out() -> None:
    instrument = instruments.get("life-situation", 1)
    assert instrument is not None
    conditional = next(s for s in instrument.sections if s.show_if is not None)
    assessment = Assessment(client_id=1, instrument_key="life-situation", instrument_version=1)
    done, total = assessments.steady_progress(instrument, assessment)
    assert done == 0 and total == sum(len(s.items) for s in instrument.sections)
    gate = conditional.show_if.item  # type: ignore[union-attr]
    assessment.answers = {gate: "no"}
    left_out = assessments.steady_progress(instrument, assessment)
    assert left_out == (1 + len(conditional.items), total)  # nothing to answer there: done
    assessment.answers = {gate: conditional.show_if.equals}  # type: ignore[union-attr]
    assert assessments.steady_progress(instrument, assessment) == (1, total)


def test_errors_name_the_field(client: TestClient, demo: None) -> None:
    login_as(client, "client")
    response = form_post(client, "/oma/tavoitteet/uusi", dict(GOAL, what=" "), headers=FI)
    assert response.status_code == 422
    error = re.search(r'<p class="error-text" id="f-what-error">([^<]*)</p>', response.text)
    assert error and error.group(1) == "Kirjoita tavoitteen nimi."
    assert "Käyn avustajan kanssa" in response.text  # what was typed is kept
    goal_id = _goal_id(form_post(client, "/oma/tavoitteet/uusi", GOAL))
    missing = form_post(client, f"/oma/tavoitteet/{goal_id}/kirjaus", {"note": "x"}, headers=FI)
    assert missing.status_code == 422
    assert 'id="f-level-error">Valitse, miten tavoite etenee nyt.<' in missing.text
    no_reason = form_post(client, f"/oma/tavoitteet/{goal_id}/tila", {"status": "dropped"})
    assert "Kirjoita muutamalla sanalla, miksi suljet tavoitteen." in no_reason.text


def test_levels_are_numbered_questions_and_check_ins_ask_against_as_hoped(
    client: TestClient, demo: None
) -> None:
    login_as(client, "client")
    form = client.get("/oma/tavoitteet/uusi", headers=FI).text
    order = [form.index(f'name="{key}"') for key in ("level_m1", "level_0", "level_p1")]
    assert order == sorted(order) and '<ol class="steps">' in form
    assert "Mikä olisi vähän parempi kuin nyt? Tätä toivot." in form
    assert "Esimerkiksi:" in form
    goal_id = _goal_id(form_post(client, "/oma/tavoitteet/uusi", GOAL))
    page = client.get(f"/oma/tavoitteet/{goal_id}", headers=FI).text
    assert "Miten nyt menee verrattuna siihen, mitä toivoit?" in page
    assert page.count('type="radio" name="level"') == 5
    assert "Kuten toivoin</strong>: Käyn itse kerran viikossa</span>" in page
    assert "+1 ·" not in page and "T-" not in page  # no codes, no T-score for the client
    listing = client.get("/oma/tavoitteet", headers=FI).text
    progress = re.search(r'data-testid="goal-progress"><strong>(\d+)/(\d+) tavoitteesta', listing)
    assert progress and int(progress.group(1)) <= int(progress.group(2))


def test_an_assistant_without_the_assessment_mandate_cannot_write_goals(
    client: TestClient, demo: None, engine: Engine
) -> None:
    with Session(engine) as s:
        erik = s.exec(select(User).where(User.dev_persona == "client-sv")).one()
        mandate = s.exec(select(Mandate).where(Mandate.client_user_id == erik.id)).one()
        mandate.valid_until = today() + timedelta(days=30)
        mandate.scopes = ["view"]
        s.add(mandate)
        s.commit()
        mandate_id = mandate.id
    login_as(client, "assistant")
    assert form_post(client, "/oma/tavoitteet/uusi", GOAL).status_code == 403  # not acting
    assert form_post(client, f"/avustaja/toimi/{mandate_id}").status_code == 303
    assert client.get("/oma/tavoitteet").status_code == 200  # may look
    assert form_post(client, "/oma/tavoitteet/uusi", GOAL).status_code == 403


def test_the_radar_charts_axes_are_named(client: TestClient, demo: None) -> None:
    from tests.assessment.test_assessment_flow import _start, answer_all

    login_as(client, "client")
    assessment_id = _start(client)
    answer_all(client, assessment_id)
    form_post(client, f"/oma/arviointi/{assessment_id}/laheta", {"instrument_version": "1"})
    page = client.get(f"/oma/arviointi/{assessment_id}/tulokset", headers=FI).text
    key = page.split('<ol class="radar-key">')[1].split("</ol>")[0]
    names = re.findall(r'<li value="(\d+)">([^<]+)</li>', key)
    numbers = re.findall(r'class="radar-label">(\d+)</text>', page)
    assert [n for n, _name in names] == numbers and len(numbers) >= 3
    assert ("1", "Yleinen hyvinvointi") in names
