"""The client's balance and the deliveries they confirm or dispute."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.deps import ClientDeliveries, ClientView, DbSession
from app.forms import Id, parse_form
from app.models.budget import Budget
from app.models.ledger import DeliveryStatus, DisputeReason
from app.routes.formdata import PostedForm
from app.routes.responses import done, once
from app.services.budget import deliveries, disputes, views
from app.services.budget import frames as budget_service
from app.services.budget.frames import required_budget_of_client
from app.services.catalogue.listings import provider_names
from app.services.identity.mandates import today as finnish_today
from app.services.ratings import feedback
from app.templating import render

router = APIRouter()
DELIVERIES_URL = "/oma/toimitukset"


class DisputeForm(BaseModel):
    code: DisputeReason = DisputeReason.not_right
    reason: str = Field(default="", max_length=2000)
    seen: DeliveryStatus = DeliveryStatus.reported  # what the client disputed: reported or paid


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
        "providers": provider_names(session, {line.provider_id for _d, line in rows}),
        "today": finnish_today(),
        "histories": disputes.histories(session, [d for d, _line in rows]),
        "reasons": list(DisputeReason),
        "auto_accept_dates": deliveries.auto_accept_dates(session, budget),
        "late_dispute_dates": disputes.late_dispute_dates(
            session, [d for d, _line in rows], finnish_today()
        ),
        "row_errors": errors or {},
        "rateable": feedback.rateable_offer_ids(session, actor, date.today()),
    }
    return render(request, "budget/client/deliveries.html", context, status_code=status_code)


@router.get("/oma/toimitukset")
def deliveries_page(request: Request, session: DbSession, actor: ClientView) -> Response:
    return _deliveries_page(request, session, actor, required_budget_of_client(session, actor))


@router.post("/oma/toimitukset/{delivery_id}/vahvista")
def confirm_delivery(
    request: Request, delivery_id: Id, session: DbSession, actor: ClientDeliveries, form: PostedForm
) -> Response:
    def act() -> Response:
        budget = required_budget_of_client(session, actor)
        deliveries.accept(session, actor, budget, delivery_id)
        return done(request, DELIVERIES_URL)

    return once(request, session, actor, form, act)


@router.post("/oma/toimitukset/{delivery_id}/kiista")
def dispute_delivery(
    request: Request,
    delivery_id: Id,
    session: DbSession,
    actor: ClientDeliveries,
    form: PostedForm,
) -> Response:
    def act() -> Response:
        budget = required_budget_of_client(session, actor)
        _values, data, errors = parse_form(DisputeForm, form)
        if data is None:
            return _deliveries_page(
                request, session, actor, budget, {delivery_id: next(iter(errors.values()))}, 422
            )
        disputes.dispute(session, actor, budget, delivery_id, data.reason, data.code, data.seen)
        return done(request, DELIVERIES_URL)

    return once(request, session, actor, form, act)
