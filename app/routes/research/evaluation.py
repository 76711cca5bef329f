"""The yearly impact evaluation: the client's page (reminder, the bundle, "my need has
changed") and the case worker's pages (who is due, the evaluation meeting, time, comparison)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app import navigation
from app.deps import CaseWorker, ClientAssessments, ClientView, DbSession
from app.forms import parse_form
from app.i18n import lazy_gettext
from app.models.report import TimeRole, TimeTask
from app.models.user import Role
from app.routes.formdata import PostedForm
from app.routes.responses import done
from app.services.research import evaluation
from app.templating import render

router = APIRouter()
navigation.register(
    "/oma/vuosiarviointi", lazy_gettext("Yearly evaluation"), {Role.client}, order=22
)
navigation.register(
    "/asiakkaat/vuosiarvioinnit", lazy_gettext("Yearly evaluations"), {Role.case_worker}, order=31
)

CLIENT_PAGE = "research/client/evaluation.html"
WORKER_PAGE = "research/caseworker/evaluation.html"


class NeedChangedForm(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


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
    meeting_id: int | None = None


# --- the client -----------------------------------------------------------------------------


def _client_page(
    request: Request,
    session: DbSession,
    actor: ClientView,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    bundle = evaluation.client_bundle(session, actor, date.today())
    context = {"b": bundle, "values": values or {}, "errors": errors or {}}
    return render(request, CLIENT_PAGE, context, status_code=status_code)


@router.get("/oma/vuosiarviointi")
def client_page(request: Request, session: DbSession, actor: ClientView) -> Response:
    return _client_page(request, session, actor)


@router.post("/oma/vuosiarviointi/muuttunut")
def need_changed(
    request: Request, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    values, data, errors = parse_form(NeedChangedForm, form)
    if data is None:
        return _client_page(request, session, actor, values=values, errors=errors, status_code=422)
    evaluation.request_evaluation(session, actor, data.reason)
    return done(request, "/oma/vuosiarviointi")


# --- the case worker ------------------------------------------------------------------------


@router.get("/asiakkaat/vuosiarvioinnit")
def worker_list(request: Request, session: DbSession, actor: CaseWorker) -> Response:
    rows = evaluation.caseworker_list(session, actor, date.today())
    return render(request, "research/caseworker/evaluations.html", {"rows": rows})


def _worker_page(
    request: Request,
    session: DbSession,
    actor: CaseWorker,
    client_id: int,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    today = date.today()
    bundle = evaluation.caseworker_bundle(session, actor, client_id, today)
    context = {
        "b": bundle,
        "meetings": evaluation.meetings_of(session, client_id),
        "time": evaluation.time_entries(session, client_id),
        "roles": list(TimeRole),
        "tasks": list(TimeTask),
        "values": values or {"held_on": today.isoformat(), "spent_on": today.isoformat()},
        "errors": errors or {},
    }
    return render(request, WORKER_PAGE, context, status_code=status_code)


@router.get("/asiakkaat/{client_id}/vuosiarviointi")
def worker_page(
    request: Request, client_id: int, session: DbSession, actor: CaseWorker
) -> Response:
    return _worker_page(request, session, actor, client_id)


@router.post("/asiakkaat/{client_id}/vuosiarviointi")
def record_meeting(
    request: Request, client_id: int, session: DbSession, actor: CaseWorker, form: PostedForm
) -> Response:
    values, data, errors = parse_form(EvaluationForm, form)
    if data is None:
        return _worker_page(
            request, session, actor, client_id, values=values, errors=errors, status_code=422
        )
    evaluation.record_evaluation(
        session,
        actor,
        client_id,
        data.held_on,
        data.notes,
        evaluation.Minutes(data.worker_minutes, data.client_minutes, data.assistant_minutes),
    )
    return done(request, f"/asiakkaat/{client_id}/vuosiarviointi")


@router.post("/asiakkaat/{client_id}/vuosiarviointi/aika")
def add_time(
    request: Request, client_id: int, session: DbSession, actor: CaseWorker, form: PostedForm
) -> Response:
    values, data, errors = parse_form(TimeForm, form)
    if data is None:
        return _worker_page(
            request, session, actor, client_id, values=values, errors=errors, status_code=422
        )
    evaluation.add_time(
        session,
        actor,
        client_id,
        data.role,
        data.task,
        data.minutes,
        data.spent_on,
        data.meeting_id,
    )
    return done(request, f"/asiakkaat/{client_id}/vuosiarviointi")


@router.post("/asiakkaat/{client_id}/vuosiarviointi/vertailuryhma")
def comparison(
    request: Request, client_id: int, session: DbSession, actor: CaseWorker, form: PostedForm
) -> Response:
    evaluation.set_comparison(session, actor, client_id, form.get("member") == "yes")
    return done(request, f"/asiakkaat/{client_id}/vuosiarviointi")
