"""The case worker's research pages: a client's paper consent and enrolment in the experiment,
and the yearly impact evaluation (who is due, the evaluation meeting, time, comparison)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Literal, TypeVar, Unpack

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from app.deps import CaseWorker, DbSession
from app.forms import Id, parse_form
from app.i18n import lazy_gettext
from app.models.audit import AuditAction
from app.models.report import TimeRole, TimeTask
from app.models.user import Role, User
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, done, post_form, render_form
from app.services import audit
from app.services.identity.mandates import in_caseload
from app.services.research import consent, evaluation, experiment
from app.templating import render

router = APIRouter()
M = TypeVar("M", bound=BaseModel)
register(
    "/asiakkaat/vuosiarvioinnit", lazy_gettext("Yearly evaluations"), {Role.case_worker}, order=31
)

EVALUATION_PAGE = "research/caseworker/evaluation.html"


class PaperConsentForm(BaseModel):
    given: Literal["yes", "no"]
    note: str = Field(default="", max_length=500)


class EvaluationForm(BaseModel):
    held_on: date
    notes: str = Field(min_length=1, max_length=4000)
    worker_minutes: int = Field(default=0, ge=0, le=1440)
    client_minutes: int = Field(default=0, ge=0, le=1440)
    assistant_minutes: int = Field(default=0, ge=0, le=1440)


class TimeForm(BaseModel):
    role: TimeRole
    task: TimeTask
    minutes: int = Field(ge=1, le=1440)
    spent_on: date
    meeting_id: Id | None = None


def _page(
    request: Request,
    session: DbSession,
    actor: CaseWorker,
    client_id: int,
    *,
    enrol_error: str | None = None,
    **shown: Unpack[FormShown],
) -> Response:
    member = in_caseload(session, actor, client_id)
    assert member.organiser_id is not None
    context = {
        "client": session.get(User, client_id),
        "current": consent.current(session, client_id),
        "history": consent.history(session, client_id),
        "experiment": experiment.active_experiment(session, member.organiser_id),
        # Shown only once the client has been randomised (allocation concealment).
        "allocation": experiment.allocation_for_client(session, client_id),
        "enrol_error": enrol_error,
    }
    return render_form(request, "research/caseworker/research.html", context, **shown)


@router.get("/asiakkaat/{client_id}/tutkimus")
def research_page(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker
) -> Response:
    in_caseload(session, actor, client_id)
    audit.record(session, actor, AuditAction.read, consent.CATEGORY, subject_id=client_id)
    return _page(request, session, actor, client_id)


@router.post("/asiakkaat/{client_id}/tutkimus/suostumus")
def paper_consent(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker, posted: PostedForm
) -> Response:
    in_caseload(session, actor, client_id)
    values, form, errors = parse_form(PaperConsentForm, posted)
    if form is None:
        return _page(request, session, actor, client_id, values=values, errors=errors)
    consent.record_paper(session, actor, client_id, form.given == "yes", form.note)
    return RedirectResponse(f"/asiakkaat/{client_id}/tutkimus?tallennettu=1", status_code=303)


@router.post("/asiakkaat/{client_id}/tutkimus/satunnaista")
def enrol(request: Request, client_id: Id, session: DbSession, actor: CaseWorker) -> Response:
    in_caseload(session, actor, client_id)
    try:
        experiment.enrol(session, actor, client_id)
    except experiment.NotEnrollable as exc:
        return _page(request, session, actor, client_id, enrol_error=exc.text(), status_code=409)
    return RedirectResponse(f"/asiakkaat/{client_id}/tutkimus?satunnaistettu=1", status_code=303)


@router.get("/asiakkaat/vuosiarvioinnit")
def worker_list(request: Request, session: DbSession, actor: CaseWorker) -> Response:
    rows = evaluation.caseworker_list(session, actor)
    return render(request, "research/caseworker/evaluations.html", {"rows": rows})


def _evaluation_page(
    request: Request,
    session: DbSession,
    actor: CaseWorker,
    client_id: int,
    **shown: Unpack[FormShown],
) -> Response:
    today = date.today()
    context = {
        "b": evaluation.caseworker_bundle(session, actor, client_id),
        "meetings": evaluation.meetings_of(session, client_id),
        "time": evaluation.time_entries(session, client_id),
        "roles": list(TimeRole),
        "tasks": list(TimeTask),
    }
    defaults = {"held_on": today.isoformat(), "spent_on": today.isoformat()}
    return render_form(request, EVALUATION_PAGE, context, defaults=defaults, **shown)


def _evaluation_post(
    request: Request,
    session: DbSession,
    actor: CaseWorker,
    client_id: int,
    posted: PostedForm,
    model: type[M],
    act: Callable[[M], object],
) -> Response:
    """A post on the client's yearly evaluation page: shown again with the errors, or done."""
    return post_form(
        request,
        posted,
        model,
        act=act,
        then=f"/asiakkaat/{client_id}/vuosiarviointi",
        again=partial(_evaluation_page, request, session, actor, client_id),
    )


@router.get("/asiakkaat/{client_id}/vuosiarviointi")
def worker_page(request: Request, client_id: Id, session: DbSession, actor: CaseWorker) -> Response:
    return _evaluation_page(request, session, actor, client_id)


@router.post("/asiakkaat/{client_id}/vuosiarviointi")
def record_meeting(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker, form: PostedForm
) -> Response:
    def record(data: EvaluationForm) -> None:
        minutes = evaluation.Minutes(
            worker=data.worker_minutes, client=data.client_minutes, assistant=data.assistant_minutes
        )
        evaluation.record_evaluation(session, actor, client_id, data.held_on, data.notes, minutes)

    return _evaluation_post(request, session, actor, client_id, form, EvaluationForm, record)


@router.post("/asiakkaat/{client_id}/vuosiarviointi/aika")
def add_time(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker, form: PostedForm
) -> Response:
    def add(data: TimeForm) -> None:
        evaluation.add_time(
            session,
            actor,
            client_id,
            data.role,
            data.task,
            data.minutes,
            data.spent_on,
            meeting_id=data.meeting_id,
        )

    return _evaluation_post(request, session, actor, client_id, form, TimeForm, add)


@router.post("/asiakkaat/{client_id}/vuosiarviointi/vertailuryhma")
def comparison(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker, form: PostedForm
) -> Response:
    evaluation.set_comparison(session, actor, client_id, form.get("member") == "yes")
    return done(request, f"/asiakkaat/{client_id}/vuosiarviointi")
