"""The client's balance and the deliveries they confirm or dispute."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from app.deps import ClientDeliveries, ClientView, DbSession
from app.forms import parse_form
from app.models.budget import Budget
from app.services.budget import deliveries, views
from app.services.budget import frames as budget_service
from app.services.budget.frames import NoBudget
from app.services.ratings import feedback
from app.templating import is_htmx, render

router = APIRouter()


class DisputeForm(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


def _budget(session: DbSession, actor: ClientView) -> Budget:
    budget = budget_service.budget_of_client(session, actor)
    if budget is None:
        raise NoBudget()
    return budget


def _done(request: Request) -> Response:
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": "/oma/toimitukset"})
    return RedirectResponse("/oma/toimitukset", status_code=303)


@router.get("/oma/saldo")
def balance_page(request: Request, session: DbSession, actor: ClientView) -> Response:
    budget = budget_service.budget_of_client(session, actor)
    if budget is None:
        return render(request, "budget/client/no_budget.html", {})
    context = views.balance_context(session, budget, date.today())
    return render(request, "budget/client/balance.html", context)


def _deliveries_page(
    request: Request,
    session: DbSession,
    actor: ClientView,
    budget: Budget,
    errors: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    rows = deliveries.client_deliveries(session, budget)
    context = {
        "rows": rows,
        "row_errors": errors or {},
        "rateable": feedback.rateable_offer_ids(session, actor, date.today()),
    }
    return render(request, "budget/client/deliveries.html", context, status_code=status_code)


@router.get("/oma/toimitukset")
def deliveries_page(request: Request, session: DbSession, actor: ClientView) -> Response:
    return _deliveries_page(request, session, actor, _budget(session, actor))


@router.post("/oma/toimitukset/{delivery_id}/vahvista")
def confirm_delivery(
    request: Request, delivery_id: int, session: DbSession, actor: ClientDeliveries
) -> Response:
    deliveries.accept(session, actor, _budget(session, actor), delivery_id)
    return _done(request)


@router.post("/oma/toimitukset/{delivery_id}/kiista")
async def dispute_delivery(
    request: Request, delivery_id: int, session: DbSession, actor: ClientDeliveries
) -> Response:
    budget = _budget(session, actor)
    _values, data, errors = parse_form(DisputeForm, await request.form())
    if data is None:
        return _deliveries_page(
            request, session, actor, budget, {delivery_id: errors["reason"]}, status_code=422
        )
    deliveries.dispute(session, actor, budget, delivery_id, data.reason)
    return _done(request)
