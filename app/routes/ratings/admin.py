"""Organiser admins moderate reported rating comments: hide with a reason, or keep."""

from __future__ import annotations

from functools import partial
from typing import Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import Admin, DbSession
from app.forms import Id
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import InlineForm, done, post_form, render_inline_form
from app.services.ratings import moderation
from app.services.ratings.feedback import HideForm

router = APIRouter(prefix="/hallinto/arviot")
register("/hallinto/arviot", lazy_gettext("Rating moderation"), {Role.admin}, 45)

QUEUE_URL = "/hallinto/arviot"


def _page(request: Request, session: Session, actor: Actor, **form: Unpack[InlineForm]) -> Response:
    context = {"queue": moderation.moderation_queue(session, actor)}
    return render_inline_form(request, "ratings/admin/moderation.html", context, **form)


@router.get("")
def moderation_queue(request: Request, session: DbSession, actor: Admin) -> Response:
    return _page(request, session, actor)


@router.post("/{rating_id}/piilota")
def hide(
    request: Request, rating_id: Id, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    moderation.admin_rating(session, actor, rating_id)  # 404 outside the admin's organisers
    return post_form(
        request,
        form,
        HideForm,
        act=lambda data: moderation.hide(session, actor, rating_id, data.reason),
        then=QUEUE_URL,
        again=partial(_page, request, session, actor, form_id=rating_id),
    )


@router.post("/{rating_id}/pida")
def keep(request: Request, rating_id: Id, session: DbSession, actor: Admin) -> Response:
    moderation.keep(session, actor, rating_id)
    return done(request, QUEUE_URL)
