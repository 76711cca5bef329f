"""Organiser admins moderate reported rating comments: hide with a reason, or keep."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import Admin, DbSession
from app.forms import parse_form
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import done, render_inline_form
from app.services.ratings import moderation
from app.services.ratings.feedback import HideForm

router = APIRouter(prefix="/hallinto/arviot")
register("/hallinto/arviot", lazy_gettext("Rating moderation"), {Role.admin}, 45)

QUEUE_URL = "/hallinto/arviot"


def _page(request: Request, session: Session, actor: Actor, **form: Any) -> Response:
    context = {"queue": moderation.moderation_queue(session, actor)}
    return render_inline_form(request, "ratings/admin/moderation.html", context, **form)


@router.get("")
def moderation_queue(request: Request, session: DbSession, actor: Admin) -> Response:
    return _page(request, session, actor)


@router.post("/{rating_id}/piilota")
def hide(
    request: Request, rating_id: int, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    values, data, errors = parse_form(HideForm, form)
    if data is None:
        moderation.admin_rating(session, actor, rating_id)  # 404 outside the admin's organisers
        return _page(request, session, actor, form_id=rating_id, values=values, errors=errors)
    moderation.hide(session, actor, rating_id, data.reason)
    return done(request, QUEUE_URL)


@router.post("/{rating_id}/pida")
def keep(request: Request, rating_id: int, session: DbSession, actor: Admin) -> Response:
    moderation.keep(session, actor, rating_id)
    return done(request, QUEUE_URL)
