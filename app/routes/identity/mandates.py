"""Mandates: the client's own page, the case worker's paper registration, the assistant's page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from operator import attrgetter
from typing import Any, TypeVar, Unpack

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.deps import Assistant, CaseWorker, Client, ClientView, DbSession, ThisSession
from app.forms import Id
from app.i18n import lazy_gettext
from app.models.actor import MandateScope
from app.models.audit import AuditAction
from app.models.user import Role, User
from app.navigation import MORE, register
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, post_form, render_form, see_other
from app.services import audit
from app.services.identity import mandates, sessions
from app.services.identity.mandates import MandateError
from app.templating import render

router = APIRouter()
M = TypeVar("M", bound=BaseModel)

register("/oma/valtuutukset", lazy_gettext("Mandates"), {Role.client}, order=60, group=MORE)
register(
    "/oma/lokitiedot",
    lazy_gettext("Who has looked at my data"),
    {Role.client},
    order=70,
    group=MORE,
)
register("/avustaja", lazy_gettext("My clients"), {Role.assistant}, order=10)


class MandateForm(BaseModel):
    assistant_id: Id
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


def _client_page(
    request: Request, session: DbSession, client_id: int, **shown: Unpack[FormShown]
) -> Response:
    ctx = _context(session, client_id)
    return render_form(request, "identity/client/mandates.html", ctx, **shown)


def _paper_page(
    request: Request, session: DbSession, client_id: int, **shown: Unpack[FormShown]
) -> Response:
    ctx = _context(session, client_id) | {"client": session.get(User, client_id)}
    return render_form(request, "identity/caseworker/paper_mandate.html", ctx, **shown)


def _save(
    request: Request,
    session: Session,
    posted: PostedForm,
    model: type[M],
    give: Callable[[M], object],
    again: Callable[..., Response],
    then: str,
) -> Response:
    """A mandate given or registered: on to `then`, or the form again with the errors (a
    refused mandate names the field it is about)."""
    return post_form(
        request,
        posted,
        model,
        act=give,
        then=then,
        again=again,
        session=session,
        field_errors={MandateError: attrgetter("field")},
        answer=see_other,
    )


@router.get("/oma/valtuutukset")
def my_mandates(request: Request, session: DbSession, actor: ClientView) -> Response:
    """The client's mandates; an assistant acting with the view scope may read them."""
    audit.record(session, actor, AuditAction.read, mandates.CATEGORY, subject_id=actor.subject_id)
    return _client_page(request, session, actor.subject_id, values=_defaults())


@router.post("/oma/valtuutukset")
def give_mandate(
    request: Request, session: DbSession, actor: Client, posted: PostedForm
) -> Response:
    return _save(
        request,
        session,
        posted,
        MandateForm,
        lambda f: mandates.give(session, actor, f.assistant_id, f.scopes, f.valid_until),
        partial(_client_page, request, session, actor.user_id),
        "/oma/valtuutukset?annettu=1",
    )


@router.post("/oma/valtuutukset/{mandate_id}/peru")
def revoke_mandate(mandate_id: Id, session: DbSession, actor: Client) -> Response:
    mandates.revoke(session, actor, mandate_id)
    return RedirectResponse("/oma/valtuutukset?peruttu=1", status_code=303)


@router.get("/asiakkaat/{client_id}/valtuutukset")
def client_mandates(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker
) -> Response:
    mandates.in_caseload(session, actor, client_id)
    audit.record(session, actor, AuditAction.read, mandates.CATEGORY, subject_id=client_id)
    return _paper_page(request, session, client_id, values=_defaults())


@router.post("/asiakkaat/{client_id}/valtuutukset")
def register_paper_mandate(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker, posted: PostedForm
) -> Response:
    mandates.in_caseload(session, actor, client_id)

    def record_paper(form: PaperMandateForm) -> None:
        mandates.register_on_paper(
            session,
            actor,
            client_id,
            form.assistant_id,
            form.scopes,
            form.valid_until,
            form.note,
        )

    return _save(
        request,
        session,
        posted,
        PaperMandateForm,
        record_paper,
        partial(_paper_page, request, session, client_id),
        f"/asiakkaat/{client_id}/valtuutukset?tallennettu=1",
    )


@router.get("/avustaja")
def assistant_home(request: Request, session: DbSession, actor: Assistant) -> Response:
    rows = mandates.live_mandates_for_assistant(session, actor.user_id)
    return render(request, "identity/assistant/mandates.html", {"rows": rows})


@router.post("/avustaja/toimi/{mandate_id}")
def act_for(
    mandate_id: Id, session: DbSession, actor: Assistant, this_session: ThisSession
) -> Response:
    mandate = mandates.start_acting(session, actor, mandate_id)
    sessions.act_for(session, this_session, mandate.id)
    return RedirectResponse("/", status_code=303)


@router.post("/avustaja/lopeta")
def stop_acting(session: DbSession, actor: Assistant, this_session: ThisSession) -> Response:
    sessions.act_for(session, this_session, None)
    return RedirectResponse("/avustaja", status_code=303)
