"""Provider invitations: the owner invites, the invitee accepts; the dev mail page."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, field_validator

from app.config import Environment
from app.deps import (
    AppSettings,
    CurrentUser,
    DbSession,
    InvitationRateLimit,
    MaybeUser,
    ProviderOwner,
)
from app.errors import NotFound
from app.forms import Id, parse_form
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.user import Role
from app.navigation import MORE, register
from app.routes.formdata import PostedForm
from app.routes.responses import render_error
from app.services import mail
from app.services.identity import invitations
from app.services.identity.invitations import InvitationUnusable
from app.templating import render

router = APIRouter()

register(
    "/tuottaja/kutsut",
    lazy_gettext("Invite colleagues"),
    {Role.provider_owner},
    order=90,
    group=MORE,
)


DEV_MAIL_ROLES = {Role.case_worker, Role.admin}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class InviteForm(BaseModel):
    provider_id: Id
    email: str = Field(max_length=320)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not EMAIL_RE.match(value):
            raise ValueError(lazy_gettext("Enter an e-mail address, for example name@example.fi."))
        return value.lower()


def _page(
    request: Request, session: DbSession, actor: Actor, values: dict[str, Any], errors: dict
) -> Response:
    ctx = {
        "providers": invitations.owned_providers(session, actor),
        "pending": invitations.pending(session, actor),
        "values": values,
        "errors": errors,
    }
    return render(
        request, "identity/provider/invitations.html", ctx, status_code=422 if errors else 200
    )


@router.get("/tuottaja/kutsut")
def invitations_page(request: Request, session: DbSession, actor: ProviderOwner) -> Response:
    return _page(request, session, actor, {}, {})


@router.post("/tuottaja/kutsut")
def send_invitation(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: ProviderOwner,
    posted: PostedForm,
) -> Response:
    values, form, errors = parse_form(InviteForm, posted)
    if form is None:
        return _page(request, session, actor, values, errors)
    invitations.invite(session, settings, actor, form.provider_id, str(form.email))
    return RedirectResponse("/tuottaja/kutsut?lahetetty=1", status_code=303)


def _unusable(request: Request, error: InvitationUnusable) -> Response:
    return render_error(request, "identity/public/invitation_unusable.html", error)


@router.get("/kutsu", dependencies=[InvitationRateLimit])
def invitation(request: Request, session: DbSession, actor: MaybeUser, t: str = "") -> Response:
    """The link in the e-mail (the token is in the query: paths are logged, queries not)."""
    try:
        _invitation, provider = invitations.find_usable(session, t[:100])
    except InvitationUnusable as error:
        return _unusable(request, error)
    return render(
        request,
        "identity/public/invitation.html",
        {"provider": provider, "token": t, "actor": actor},
    )


@router.post("/kutsu", dependencies=[InvitationRateLimit])
def accept_invitation(
    request: Request, session: DbSession, actor: CurrentUser, t: str = Form("", max_length=100)
) -> Response:
    try:
        invitations.accept(session, actor, t)
    except InvitationUnusable as error:
        return _unusable(request, error)
    return RedirectResponse("/?liityit=1", status_code=303)


@router.get("/dev/mail")
def dev_mail(
    request: Request, session: DbSession, settings: AppSettings, actor: MaybeUser
) -> Response:
    """Mail the app has sent, links included, for trying things out: only in development and
    only for the staff personas (case worker, organiser admin); for anyone else it is not there."""
    if settings.environment is not Environment.development:
        raise NotFound()
    if actor is None or actor.user.dev_persona is None or not actor.roles() & DEV_MAIL_ROLES:
        raise NotFound()
    return render(request, "identity/public/dev_mail.html", {"messages": mail.sent(session)})
