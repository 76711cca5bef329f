"""Provider members: the teaming meetings their provider is invited to, and the answer."""

from __future__ import annotations

from functools import partial
from typing import Literal, Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.deps import DbSession, ProviderMember
from app.forms import Id
from app.i18n import lazy_gettext
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, post_form, render_form
from app.services.research import teaming
from app.templating import render

LIST_URL = "/tuottaja/tiimiytys"

router = APIRouter()
register(
    LIST_URL, lazy_gettext("Teaming meetings"), {Role.provider_owner, Role.provider_editor}, 46
)


class AnswerForm(BaseModel):
    answer: Literal["attending", "declined"]


@router.get(LIST_URL)
def invitations_page(request: Request, session: DbSession, actor: ProviderMember) -> Response:
    rows = teaming.invitations(session, actor)
    return render(request, "research/provider/invitations.html", {"rows": rows})


def _page(
    request: Request,
    session: DbSession,
    actor: ProviderMember,
    invitation_id: int,
    **shown: Unpack[FormShown],
) -> Response:
    shown_invitation = teaming.invitation(session, actor, invitation_id)
    answer = shown_invitation.answer.value
    defaults = {"answer": answer if answer != "waiting" else ""}
    context = {"i": shown_invitation}
    template = "research/provider/invitation.html"
    return render_form(request, template, context, defaults=defaults, **shown)


@router.get(LIST_URL + "/{invitation_id}")
def invitation_page(
    request: Request, invitation_id: Id, session: DbSession, actor: ProviderMember
) -> Response:
    return _page(request, session, actor, invitation_id)


@router.post(LIST_URL + "/{invitation_id}")
def answer(
    request: Request,
    invitation_id: Id,
    session: DbSession,
    actor: ProviderMember,
    form: PostedForm,
) -> Response:
    return post_form(
        request,
        form,
        AnswerForm,
        act=lambda data: teaming.answer(session, actor, invitation_id, data.answer == "attending"),
        then=f"{LIST_URL}/{invitation_id}?vastattu=1",
        again=partial(_page, request, session, actor, invitation_id),
        field_errors={teaming.AlreadyHeld: "answer"},
        session=session,
    )
