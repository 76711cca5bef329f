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
from app.services.budget import deliveries, settlement
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


def _page(
    request: Request,
    session: DbSession,
    actor: ProviderMember,
    line_id: int | None = None,
    **shown: Unpack[FormShown],
) -> Response:
    """The orders; the delivery form of order line `line_id` is shown again with its errors."""
    context = {
        "orders": deliveries.orders(session, actor),
        "recent": deliveries.provider_delivery_list(session, actor)[:20],
        "form_line": line_id,
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
        field_errors={
            deliveries.TooManyUnits: "units",
            deliveries.DeliveryInFuture: "delivered_on",
            deliveries.DeliveryOutsidePeriod: "delivered_on",
        },
        once_for=actor,
    )


@router.get("/tuottaja/tilitykset")
def settlements_page(request: Request, session: DbSession, actor: ProviderMember) -> Response:
    """The provider's own settlements and each line's state."""
    context = {"details": settlement.for_provider(session, actor)}
    return render(request, "budget/provider/settlements.html", context)
