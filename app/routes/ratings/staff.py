"""Providers reply to ratings of their offers; organiser admins moderate reported comments."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import Admin, DbSession, ProviderMember
from app.forms import parse_form
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import done
from app.services.ratings import feedback
from app.services.ratings import moderation as rating_moderation
from app.services.ratings.feedback import HideForm, ReplyForm
from app.templating import render

router = APIRouter()
register(
    "/tuottaja/arviot", lazy_gettext("Ratings"), {Role.provider_owner, Role.provider_editor}, 45
)
register("/hallinto/arviot", lazy_gettext("Rating moderation"), {Role.admin}, 45)


def _provider_page(
    request: Request,
    session: Session,
    actor: Actor,
    form_id: int | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "entries": feedback.provider_entries(session, actor),
        "form_id": form_id,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "ratings/provider/ratings.html", context, status_code=status_code)


@router.get("/tuottaja/arviot")
def provider_ratings(request: Request, session: DbSession, actor: ProviderMember) -> Response:
    return _provider_page(request, session, actor)


@router.post("/tuottaja/arviot/{rating_id}/vastaus")
def reply(
    request: Request, rating_id: int, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    values, data, errors = parse_form(ReplyForm, form)
    if data is None:
        feedback.provider_rating(session, actor, rating_id)  # 404 unless own and public
        return _provider_page(request, session, actor, rating_id, values, errors, 422)
    feedback.reply(session, actor, rating_id, data.reply)
    return done(request, f"/tuottaja/arviot#rating-{rating_id}")


def _queue_page(
    request: Request,
    session: Session,
    actor: Actor,
    form_id: int | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "queue": rating_moderation.moderation_queue(session, actor),
        "form_id": form_id,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "ratings/admin/moderation.html", context, status_code=status_code)


@router.get("/hallinto/arviot")
def moderation(request: Request, session: DbSession, actor: Admin) -> Response:
    return _queue_page(request, session, actor)


@router.post("/hallinto/arviot/{rating_id}/piilota")
def hide(
    request: Request, rating_id: int, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    values, data, errors = parse_form(HideForm, form)
    if data is None:
        rating_moderation.admin_rating(
            session, actor, rating_id
        )  # 404 outside the admin's organisers
        return _queue_page(request, session, actor, rating_id, values, errors, 422)
    rating_moderation.hide(session, actor, rating_id, data.reason)
    return done(request, "/hallinto/arviot")


@router.post("/hallinto/arviot/{rating_id}/pida")
def keep(request: Request, rating_id: int, session: DbSession, actor: Admin) -> Response:
    rating_moderation.keep(session, actor, rating_id)
    return done(request, "/hallinto/arviot")
