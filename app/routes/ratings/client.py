"""The client rates services they have used; anyone logged in can report a public comment."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ClientDeliveries, ClientView, CurrentUser, DbSession
from app.forms import Id, parse_form
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.user import Role
from app.navigation import MORE, register
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, done, post_form, render_form
from app.services.ratings import feedback
from app.services.ratings.feedback import RatingForm, ReportForm
from app.templating import render

router = APIRouter()
register("/oma/arviot", lazy_gettext("Rate services"), {Role.client}, order=33, group=MORE)

BASE = "/oma/arviot"


@router.get("/oma/arviot")
def ratings_page(request: Request, session: DbSession, actor: ClientView) -> Response:
    feedback.read_audit(session, actor)
    today = date.today()
    context = {
        "used": feedback.used_services(session, actor, today),
        "own": feedback.own_ratings(session, actor),
        "saved": request.query_params.get("tallennettu") == "1",
    }
    return render(request, "ratings/client/ratings.html", context)


def _form(
    request: Request, session: Session, actor: Actor, offer_id: int, **shown: Unpack[FormShown]
) -> Response:
    used = feedback.eligibility(session, actor, offer_id, date.today())
    context = {"used": used, "goals": feedback.linked_goals(session, used.line)}
    return render_form(request, "ratings/client/rate.html", context, **shown)


@router.get("/oma/arviot/{offer_id}")
def rating_form(
    request: Request, offer_id: Id, session: DbSession, actor: ClientDeliveries
) -> Response:
    feedback.read_audit(session, actor)
    return _form(request, session, actor, offer_id)


@router.post("/oma/arviot/{offer_id}")
def save_rating(
    request: Request, offer_id: Id, session: DbSession, actor: ClientDeliveries, form: PostedForm
) -> Response:
    return post_form(
        request,
        form,
        RatingForm,
        act=lambda data: feedback.rate(session, actor, offer_id, data, date.today()),
        then=f"{BASE}?tallennettu=1",
        again=partial(_form, request, session, actor, offer_id),
    )


@router.post("/palvelut/arviot/{rating_id}/ilmoita")
def report_comment(
    request: Request, rating_id: Id, session: DbSession, actor: CurrentUser, form: PostedForm
) -> Response:
    _values, data, _errors = parse_form(ReportForm, form)
    rating = feedback.report(session, actor, rating_id, data.reason if data else "")
    return done(request, f"/palvelut/{rating.offer_id}?ilmoitettu={rating_id}#arviot")
