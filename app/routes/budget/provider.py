"""Provider members: orders from confirmed plans, accepting them, reporting deliveries."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.deps import DbSession, ProviderMember
from app.forms import parse_form
from app.i18n import lazy_gettext
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import done
from app.services.budget import deliveries
from app.templating import render

ORDERS_URL = "/tuottaja/tilaukset"

router = APIRouter()
register(ORDERS_URL, lazy_gettext("Orders"), {Role.provider_owner, Role.provider_editor}, 40)

PAGE = "budget/provider/orders.html"


class DeliveryForm(BaseModel):
    delivered_on: date
    units: int = Field(ge=1, le=1000)
    note: str = Field(default="", max_length=2000)


def _page(
    request: Request,
    session: DbSession,
    actor: ProviderMember,
    *,
    line_id: int | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "orders": deliveries.orders(session, actor),
        "recent": deliveries.provider_delivery_list(session, actor)[:20],
        "form_line": line_id,
        "values": values or {},
        "errors": errors or {},
        "today": date.today().isoformat(),
    }
    return render(request, PAGE, context, status_code=status_code)


@router.get("/tuottaja/tilaukset")
def orders_page(request: Request, session: DbSession, actor: ProviderMember) -> Response:
    return _page(request, session, actor)


@router.post("/tuottaja/tilaukset/{line_id}/hyvaksy")
def accept_order(
    request: Request, line_id: int, session: DbSession, actor: ProviderMember
) -> Response:
    deliveries.decide_order(session, actor, line_id, accept=True)
    return done(request, ORDERS_URL)


@router.post("/tuottaja/tilaukset/{line_id}/hylkaa")
def decline_order(
    request: Request, line_id: int, session: DbSession, actor: ProviderMember
) -> Response:
    deliveries.decide_order(session, actor, line_id, accept=False)
    return done(request, ORDERS_URL)


@router.post("/tuottaja/tilaukset/{line_id}/toimitukset")
def report_delivery(
    request: Request, line_id: int, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    deliveries.order(session, actor, line_id)  # 404 unless it is the actor's order
    values, data, errors = parse_form(DeliveryForm, form)
    if data is not None:
        try:
            deliveries.report_delivery(
                session, actor, line_id, data.delivered_on, data.units, data.note
            )
            return done(request, ORDERS_URL)
        except deliveries.TooManyUnits as exc:
            errors = {"units": exc.text()}
    return _page(
        request, session, actor, line_id=line_id, values=values, errors=errors, status_code=422
    )
