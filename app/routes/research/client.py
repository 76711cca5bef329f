"""The client's research consent, "what my data is used for" and the yearly impact evaluation
(reminder, the bundle, "my need has changed")."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from app.deps import Client, ClientAssessments, ClientView, DbSession, MaybeUser
from app.forms import parse_form
from app.i18n import lazy_gettext
from app.models.audit import AuditAction
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import done
from app.services import audit
from app.services.research import consent, evaluation
from app.templating import render

router = APIRouter()
register("/oma/tutkimus", lazy_gettext("My data and research"), {Role.client}, order=75)
register("/oma/vuosiarviointi", lazy_gettext("Yearly evaluation"), {Role.client}, order=22)

EVALUATION_PAGE = "research/client/evaluation.html"


class ConsentForm(BaseModel):
    given: Literal["yes", "no"]


class NeedChangedForm(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


@router.get("/tietojen-kaytto")
def data_use(request: Request, actor: MaybeUser) -> Response:
    """Plain-language page: what the client's data is used for (public, fi/sv/en)."""
    return render(request, "research/public/data_use.html", {})


def _consent_page(
    request: Request, session: DbSession, client_id: int, errors: dict[str, str], status: int = 200
) -> Response:
    context = {
        "current": consent.current(session, client_id),
        "history": consent.history(session, client_id),
        "errors": errors,
    }
    return render(request, "research/client/consent.html", context, status_code=status)


@router.get("/oma/tutkimus")
def consent_page(request: Request, session: DbSession, actor: ClientView) -> Response:
    """The consent and its history; an assistant with the view scope sees, cannot change it."""
    audit.record(session, actor, AuditAction.read, consent.CATEGORY, subject_id=actor.subject_id)
    return _consent_page(request, session, actor.subject_id, {})


@router.post("/oma/tutkimus")
def change_consent(
    request: Request, session: DbSession, actor: Client, posted: PostedForm
) -> Response:
    _values, form, errors = parse_form(ConsentForm, posted)
    if form is None:
        return _consent_page(request, session, actor.user_id, errors, status=422)
    consent.set_own(session, actor, form.given == "yes")
    done = "annettu" if form.given == "yes" else "peruttu"
    return RedirectResponse(f"/oma/tutkimus?{done}=1", status_code=303)


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
    return render(request, EVALUATION_PAGE, context, status_code=status_code)


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
