"""The client's research consent, "what my data is used for" and the yearly impact evaluation
(reminder, the bundle, "my need has changed")."""

from __future__ import annotations

from functools import partial
from typing import Literal, Unpack

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from app.deps import Client, ClientAssessments, ClientView, DbSession, MaybeUser
from app.forms import parse_form
from app.i18n import lazy_gettext
from app.models.audit import AuditAction
from app.models.user import Role
from app.navigation import MORE, register
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, post_form, render_form
from app.services import audit
from app.services.research import consent, evaluation
from app.templating import render

router = APIRouter()
register("/oma/tutkimus", lazy_gettext("My data and research"), {Role.client}, order=75, group=MORE)
register(
    "/oma/vuosiarviointi", lazy_gettext("Yearly evaluation"), {Role.client}, order=32, group=MORE
)

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
    request: Request, session: DbSession, client_id: int, **shown: Unpack[FormShown]
) -> Response:
    context = {
        "current": consent.current(session, client_id),
        "history": consent.history(session, client_id),
    }
    return render_form(request, "research/client/consent.html", context, **shown)


@router.get("/oma/tutkimus")
def consent_page(request: Request, session: DbSession, actor: ClientView) -> Response:
    """The consent and its history; an assistant with the view scope sees, cannot change it."""
    audit.record(session, actor, AuditAction.read, consent.CATEGORY, subject_id=actor.subject_id)
    return _consent_page(request, session, actor.subject_id)


@router.post("/oma/tutkimus")
def change_consent(
    request: Request, session: DbSession, actor: Client, posted: PostedForm
) -> Response:
    _values, form, errors = parse_form(ConsentForm, posted)
    if form is None:
        return _consent_page(request, session, actor.user_id, errors=errors)
    consent.set_own(session, actor, form.given == "yes")
    flag = "annettu" if form.given == "yes" else "peruttu"
    return RedirectResponse(f"/oma/tutkimus?{flag}=1", status_code=303)


def _evaluation_page(
    request: Request, session: DbSession, actor: ClientView, **shown: Unpack[FormShown]
) -> Response:
    context = {"b": evaluation.client_bundle(session, actor)}
    return render_form(request, EVALUATION_PAGE, context, **shown)


@router.get("/oma/vuosiarviointi")
def client_page(request: Request, session: DbSession, actor: ClientView) -> Response:
    return _evaluation_page(request, session, actor)


@router.post("/oma/vuosiarviointi/muuttunut")
def need_changed(
    request: Request, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    return post_form(
        request,
        form,
        NeedChangedForm,
        act=lambda data: evaluation.request_evaluation(session, actor, data.reason),
        then="/oma/vuosiarviointi",
        again=partial(_evaluation_page, request, session, actor),
    )
