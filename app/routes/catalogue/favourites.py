"""The client's shortlist (favourites): the page, and adding or removing from an offer page or
a search result (plain forms with CSRF; the client, or an assistant with a live mandate)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import ClientPlan, ClientView, DbSession
from app.forms import Id
from app.i18n import lazy_gettext
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import done, safe_next
from app.services.catalogue import favourites
from app.templating import render

router = APIRouter()
FAVOURITES_URL = "/oma/suosikit"
register(FAVOURITES_URL, lazy_gettext("Favourites"), {Role.client}, order=24)


@router.get(FAVOURITES_URL)
def favourites_page(request: Request, session: DbSession, actor: ClientView) -> Response:
    context = {"items": favourites.shortlist(session, actor), "here": FAVOURITES_URL}
    return render(request, "catalogue/client/favourites.html", context)


@router.post(FAVOURITES_URL + "/palvelu/{offer_id}")
def add_favourite(
    request: Request, offer_id: Id, session: DbSession, actor: ClientPlan, form: PostedForm
) -> Response:
    favourites.add(session, actor, offer_id, date.today())  # idempotent: a double click is fine
    return done(request, safe_next(str(form.get("next") or ""), FAVOURITES_URL))


@router.post(FAVOURITES_URL + "/{favourite_id}/poista")
def remove_favourite(
    request: Request, favourite_id: Id, session: DbSession, actor: ClientPlan, form: PostedForm
) -> Response:
    favourites.remove(session, actor, favourite_id)  # idempotent: removed once
    return done(request, safe_next(str(form.get("next") or ""), FAVOURITES_URL))
