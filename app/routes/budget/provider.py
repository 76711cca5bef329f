"""Provider members: orders from confirmed plans, accepting them, reporting deliveries."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.deps import DbSession, ProviderMember
from app.forms import Id
from app.i18n import lazy_gettext
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, done, once, post_form, render_form
from app.services.budget import deliveries, disputes, settlement
from app.templating import render

ORDERS_URL = "/tuottaja/tilaukset"

router = APIRouter()
register(ORDERS_URL, lazy_gettext("Orders"), {Role.provider_owner, Role.provider_editor}, 40)
register(
    "/tuottaja/tilitykset",
    lazy_gettext("Settlements"),
    {Role.provider_owner, Role.provider_editor},
    45,
)

PAGE = "budget/provider/orders.html"


class DeliveryForm(BaseModel):
    delivered_on: date
    units: int = Field(ge=1, le=1000)
    note: str = Field(default="", max_length=2000)


class AnswerForm(BaseModel):
    """Withdrawing or contesting a disputed delivery: why."""

    note: str = Field(default="", max_length=2000)


class ContestForm(BaseModel):
    note: str = Field(min_length=1, max_length=2000)


REPORT_ERRORS = {
    deliveries.TooManyUnits: "units",
    deliveries.DeliveryInFuture: "delivered_on",
    deliveries.DeliveryOutsidePeriod: "delivered_on",
}


def _page(
    request: Request,
    session: DbSession,
    actor: ProviderMember,
    line_id: int | None = None,
    dispute_id: int | None = None,
    **shown: Unpack[FormShown],
) -> Response:
    """The orders; the delivery form of order line `line_id` (or the answer forms of the
    disputed delivery `dispute_id`) is shown again with its errors."""
    recent = deliveries.provider_delivery_list(session, actor)[:20]
    waiting = disputes.open_for_provider(session, actor)
    context = {
        "orders": deliveries.orders(session, actor),
        "recent": recent,
        "disputed": waiting,
        "histories": disputes.histories(session, [*(d for d, _line in waiting), *recent]),
        "form_line": line_id,
        "form_dispute": dispute_id,
        "today": date.today().isoformat(),
    }
    return render_form(request, PAGE, context, **shown)


@router.get("/tuottaja/tilaukset")
def orders_page(request: Request, session: DbSession, actor: ProviderMember) -> Response:
    return _page(request, session, actor)


def _decide(
    request: Request,
    session: DbSession,
    actor: ProviderMember,
    line_id: int,
    form: PostedForm,
    *,
    accept: bool,
) -> Response:
    def act() -> Response:
        deliveries.decide_order(session, actor, line_id, accept=accept)
        return done(request, ORDERS_URL)

    return once(request, session, actor, form, act)


@router.post("/tuottaja/tilaukset/{line_id}/hyvaksy")
def accept_order(
    request: Request, line_id: Id, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    return _decide(request, session, actor, line_id, form, accept=True)


@router.post("/tuottaja/tilaukset/{line_id}/hylkaa")
def decline_order(
    request: Request, line_id: Id, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    return _decide(request, session, actor, line_id, form, accept=False)


@router.post("/tuottaja/tilaukset/{line_id}/toimitukset")
def report_delivery(
    request: Request, line_id: Id, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    deliveries.order(session, actor, line_id)  # 404 unless it is the actor's order
    return post_form(
        request,
        form,
        DeliveryForm,
        act=lambda data: deliveries.report_delivery(
            session, actor, line_id, data.delivered_on, data.units, data.note
        ),
        then=ORDERS_URL,
        again=partial(_page, request, session, actor, line_id),
        session=session,
        field_errors=REPORT_ERRORS,
        once_for=actor,
    )


@router.post("/tuottaja/toimitukset/{delivery_id}/korjaa")
def correct_delivery(
    request: Request, delivery_id: Id, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    """A corrected report replaces the disputed one and goes back to the client."""
    disputes.provider_delivery(session, actor, delivery_id)  # 404 unless the actor's
    return post_form(
        request,
        form,
        DeliveryForm,
        act=lambda data: disputes.correct(
            session, actor, delivery_id, data.delivered_on, data.units, data.note
        ),
        then=ORDERS_URL,
        again=partial(_page, request, session, actor, None, delivery_id),
        session=session,
        field_errors=REPORT_ERRORS,
        once_for=actor,
    )


def _answer(
    request: Request,
    session: DbSession,
    actor: ProviderMember,
    delivery_id: int,
    form: PostedForm,
    contest: bool,
) -> Response:
    disputes.provider_delivery(session, actor, delivery_id)  # 404 unless the actor's
    step = disputes.contest if contest else disputes.withdraw
    return post_form(
        request,
        form,
        ContestForm if contest else AnswerForm,
        act=lambda data: step(session, actor, delivery_id, data.note),
        then=ORDERS_URL,
        again=partial(_page, request, session, actor, None, delivery_id),
        session=session,
        once_for=actor,
    )


@router.post("/tuottaja/toimitukset/{delivery_id}/peru")
def withdraw_delivery(
    request: Request, delivery_id: Id, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    """The provider takes the disputed delivery back: nothing is paid."""
    return _answer(request, session, actor, delivery_id, form, contest=False)


@router.post("/tuottaja/toimitukset/{delivery_id}/kiista")
def contest_delivery(
    request: Request, delivery_id: Id, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    """The provider stands by the delivery: the client's case worker decides."""
    return _answer(request, session, actor, delivery_id, form, contest=True)


@router.get("/tuottaja/tilitykset")
def settlements_page(request: Request, session: DbSession, actor: ProviderMember) -> Response:
    """The provider's own settlements and each line's state."""
    context = {"details": settlement.for_provider(session, actor)}
    return render(request, "budget/provider/settlements.html", context)
