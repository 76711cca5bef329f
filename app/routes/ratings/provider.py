"""Providers read the ratings of their offers and reply to them."""

from __future__ import annotations

from functools import partial
from typing import Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import DbSession, ProviderMember
from app.forms import Id
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import InlineForm, post_form, render_inline_form
from app.services.ratings import feedback
from app.services.ratings.feedback import ReplyForm

router = APIRouter(prefix="/tuottaja/arviot")
register(
    "/tuottaja/arviot", lazy_gettext("Ratings"), {Role.provider_owner, Role.provider_editor}, 45
)


def _page(request: Request, session: Session, actor: Actor, **form: Unpack[InlineForm]) -> Response:
    context = {"entries": feedback.provider_entries(session, actor)}
    return render_inline_form(request, "ratings/provider/ratings.html", context, **form)


@router.get("")
def provider_ratings(request: Request, session: DbSession, actor: ProviderMember) -> Response:
    return _page(request, session, actor)


@router.post("/{rating_id}/vastaus")
def reply(
    request: Request, rating_id: Id, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    feedback.provider_rating(session, actor, rating_id)  # 404 unless own and public
    return post_form(
        request,
        form,
        ReplyForm,
        act=lambda data: feedback.reply(session, actor, rating_id, data.reply),
        then=f"/tuottaja/arviot#rating-{rating_id}",
        again=partial(_page, request, session, actor, form_id=rating_id),
    )
