"""Provider members: orders from confirmed plans, accepting them, reporting deliveries."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.deps import DbSession, ProviderMember
from app.errors import NotFound
from app.forms import Id, parse_id
from app.i18n import get_locale, lazy_gettext
from app.models.budget import OrderStatus
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, done, once, post_form, render_form
from app.services.budget import deliveries, delivery_list, disputes, order_list, settlement
from app.services.identity.mandates import today as finnish_today
from app.templating import render

ORDERS_URL = "/tuottaja/tilaukset"

router = APIRouter()
register(ORDERS_URL, lazy_gettext("Orders"), {Role.provider_owner, Role.provider_editor}, 40)
register(
    "/tuottaja/toimitukset",
    lazy_gettext("Deliveries"),
    {Role.provider_owner, Role.provider_editor},
    42,
)
register(
    "/tuottaja/tilitykset",
    lazy_gettext("Settlements"),
    {Role.provider_owner, Role.provider_editor},
    45,
)

PAGE = "budget/provider/orders.html"
ORDER_PAGE = "budget/provider/order.html"
DELIVERY_PAGE = "budget/provider/delivery.html"


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


def _orders_query(q: str, status: str, client: str, page: str) -> order_list.OrderQuery:
    """The list's query string, read leniently: an unknown status or client is no filter."""
    wanted = OrderStatus(status) if status in set(OrderStatus) else None
    client_id = parse_id(client) if client else None
    number = parse_id(page) or 1
    return order_list.OrderQuery(q=q[:100], status=wanted, client_id=client_id, page=number)


@router.get("/tuottaja/tilaukset")
def orders_page(
    request: Request,
    session: DbSession,
    actor: ProviderMember,
    q: str = "",
    status: str = "",
    client: str = "",
    page: str = "1",
) -> Response:
    """New orders first, then the orders asked for, a page at a time; disputed deliveries
    waiting for the provider's answer link to their own pages."""
    query = _orders_query(q, status, client, page)
    context = {
        "result": order_list.order_page(session, actor, query),
        "query": query,
        "statuses": list(OrderStatus),
        "disputed": disputes.open_for_provider(session, actor),
    }
    return render(request, PAGE, context)


def _order_page(
    request: Request,
    session: DbSession,
    actor: ProviderMember,
    line_id: int,
    **shown: Unpack[FormShown],
) -> Response:
    """One order: its answer or its delivery form (shown again with its errors), and the
    deliveries reported on it."""
    row = order_list.order_row(session, actor, line_id)
    if row is None:
        raise NotFound()
    reported = order_list.order_deliveries(session, actor, line_id)
    context = {
        "o": row,
        "reported": reported,
        "histories": disputes.histories(session, reported),
        "today": finnish_today().isoformat(),
    }
    return render_form(request, ORDER_PAGE, context, **shown)


@router.get("/tuottaja/tilaukset/{line_id}")
def order_page(
    request: Request, line_id: Id, session: DbSession, actor: ProviderMember
) -> Response:
    return _order_page(request, session, actor, line_id)


def _delivery_page(
    request: Request,
    session: DbSession,
    actor: ProviderMember,
    delivery_id: int,
    **shown: Unpack[FormShown],
) -> Response:
    """One reported delivery, its history and, while disputed, the provider's three answers
    (the one sent shown again with its errors)."""
    delivery, _budget = disputes.provider_delivery(session, actor, delivery_id)
    context = {
        "delivery": delivery,
        "row": delivery_list.delivery_row(session, actor, delivery_id),
        "histories": disputes.histories(session, [delivery]),
    }
    return render_form(request, DELIVERY_PAGE, context, **shown)


@router.get("/tuottaja/toimitukset/{delivery_id}")
def delivery_page(
    request: Request, delivery_id: Id, session: DbSession, actor: ProviderMember
) -> Response:
    return _delivery_page(request, session, actor, delivery_id)


@router.get("/tuottaja/toimitukset")
def delivery_history(
    request: Request, session: DbSession, actor: ProviderMember, sort: str = "", page: str = "1"
) -> Response:
    """Every delivery reported, sortable by a named key (validated), a page at a time."""
    number = parse_id(page) or 1
    result = delivery_list.delivery_page(session, actor, sort, number, get_locale())
    context = {"result": result, "sort_keys": delivery_list.SORT_KEYS}
    return render(request, "budget/provider/deliveries.html", context)


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
        return done(request, f"{ORDERS_URL}/{line_id}" if accept else ORDERS_URL)

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
        then=f"{ORDERS_URL}/{line_id}",
        again=partial(_order_page, request, session, actor, line_id),
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
        then=f"/tuottaja/toimitukset/{delivery_id}",
        again=partial(_delivery_page, request, session, actor, delivery_id),
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
        then=f"/tuottaja/toimitukset/{delivery_id}",
        again=partial(_delivery_page, request, session, actor, delivery_id),
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
