"""Mandates: the client's own page, the case worker's paper registration, the assistant's page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from app.deps import Assistant, CaseWorker, Client, ClientView, DbSession
from app.forms import parse_form
from app.i18n import lazy_gettext
from app.models.actor import MandateScope
from app.models.audit import AuditAction
from app.models.user import Role, User
from app.navigation import register
from app.routes.formdata import PostedForm
from app.services import audit
from app.services.identity import mandates, sessions
from app.services.identity.mandates import MandateError
from app.templating import render

router = APIRouter()

register("/oma/valtuutukset", lazy_gettext("Mandates"), {Role.client}, order=60)
register("/oma/lokitiedot", lazy_gettext("Who has looked at my data"), {Role.client}, order=70)
register("/avustaja", lazy_gettext("My clients"), {Role.assistant}, order=10)


class MandateForm(BaseModel):
    assistant_id: int
    scopes: list[str] = Field(default_factory=list)
    valid_until: date


class PaperMandateForm(MandateForm):
    note: str | None = Field(default=None, max_length=500)


def _defaults() -> dict[str, Any]:
    until = mandates.today() + timedelta(days=365)
    return {"scopes": [MandateScope.view.value], "valid_until": until.isoformat()}


def _context(session: DbSession, client_id: int) -> dict[str, Any]:
    return {
        "rows": mandates.mandates_of_client(session, client_id),
        "assistants": mandates.assistants_for_client(session, client_id),
        "min_date": mandates.today().isoformat(),
    }


@router.get("/oma/valtuutukset")
def my_mandates(request: Request, session: DbSession, actor: ClientView) -> Response:
    """The client's mandates; an assistant acting with the view scope may read them."""
    audit.record(session, actor, AuditAction.read, mandates.CATEGORY, subject_id=actor.subject_id)
    ctx = _context(session, actor.subject_id) | {"values": _defaults(), "errors": {}}
    return render(request, "identity/client/mandates.html", ctx)


@router.post("/oma/valtuutukset")
def give_mandate(
    request: Request, session: DbSession, actor: Client, posted: PostedForm
) -> Response:
    values, form, errors = parse_form(MandateForm, posted)
    if form is not None:
        try:
            mandates.give(session, actor, form.assistant_id, form.scopes, form.valid_until)
        except MandateError as exc:
            errors = {exc.field: exc.text()}
    if errors:
        ctx = _context(session, actor.user_id) | {"values": values, "errors": errors}
        return render(request, "identity/client/mandates.html", ctx, status_code=422)
    return RedirectResponse("/oma/valtuutukset?annettu=1", status_code=303)


@router.post("/oma/valtuutukset/{mandate_id}/peru")
def revoke_mandate(mandate_id: int, session: DbSession, actor: Client) -> Response:
    mandates.revoke(session, actor, mandate_id)
    return RedirectResponse("/oma/valtuutukset?peruttu=1", status_code=303)


def _paper_context(session: DbSession, client_id: int) -> dict[str, Any]:
    client = session.get(User, client_id)
    return _context(session, client_id) | {"client": client}


@router.get("/asiakkaat/{client_id}/valtuutukset")
def client_mandates(
    request: Request, client_id: int, session: DbSession, actor: CaseWorker
) -> Response:
    mandates.in_caseload(session, actor, client_id)
    audit.record(session, actor, AuditAction.read, mandates.CATEGORY, subject_id=client_id)
    ctx = _paper_context(session, client_id) | {"values": _defaults(), "errors": {}}
    return render(request, "identity/caseworker/paper_mandate.html", ctx)


@router.post("/asiakkaat/{client_id}/valtuutukset")
def register_paper_mandate(
    request: Request, client_id: int, session: DbSession, actor: CaseWorker, posted: PostedForm
) -> Response:
    mandates.in_caseload(session, actor, client_id)
    values, form, errors = parse_form(PaperMandateForm, posted)
    if form is not None:
        try:
            mandates.register_on_paper(
                session,
                actor,
                client_id,
                form.assistant_id,
                form.scopes,
                form.valid_until,
                form.note,
            )
        except MandateError as exc:
            errors = {exc.field: exc.text()}
    if errors:
        ctx = _paper_context(session, client_id) | {"values": values, "errors": errors}
        return render(request, "identity/caseworker/paper_mandate.html", ctx, status_code=422)
    return RedirectResponse(f"/asiakkaat/{client_id}/valtuutukset?tallennettu=1", status_code=303)


@router.get("/avustaja")
def assistant_home(request: Request, session: DbSession, actor: Assistant) -> Response:
    rows = mandates.live_mandates_for_assistant(session, actor.user_id)
    return render(request, "identity/assistant/mandates.html", {"rows": rows})


@router.post("/avustaja/toimi/{mandate_id}")
def act_for(request: Request, mandate_id: int, session: DbSession, actor: Assistant) -> Response:
    mandate = mandates.start_acting(session, actor, mandate_id)
    request.session[sessions.ACTING_KEY] = mandate.id
    return RedirectResponse("/", status_code=303)


@router.post("/avustaja/lopeta")
def stop_acting(request: Request, actor: Assistant) -> Response:
    request.session.pop(sessions.ACTING_KEY, None)
    return RedirectResponse("/avustaja", status_code=303)
