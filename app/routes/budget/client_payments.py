"""The client's own share: pay online when payments are configured, else invoiced."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import AppSettings, ClientPlan, ClientView, DbSession
from app.services.budget import payments
from app.services.budget.frames import confirmed_version, required_budget_of_client
from app.templating import render

router = APIRouter()


@router.get("/oma/omavastuu")
def own_share_page(
    request: Request, session: DbSession, actor: ClientView, settings: AppSettings
) -> Response:
    budget = required_budget_of_client(session, actor)
    plan = confirmed_version(session, budget)
    context = {
        "own_share": plan.own_share_cents if plan else 0,
        "due": payments.own_share_due(session, budget),
        "paid_online": payments.paid_cents(session, budget),
        "payments_enabled": settings.payments_enabled,
    }
    return render(request, "budget/client/own_share.html", context)


@router.post("/oma/omavastuu/maksu")
def start_payment(
    request: Request, session: DbSession, actor: ClientPlan, settings: AppSettings
) -> Response:
    budget = required_budget_of_client(session, actor)
    payment, secret = payments.start_payment(session, settings, actor, budget)
    context = {
        "payment": payment,
        "client_secret": secret,
        "publishable_key": settings.stripe_publishable_key or "",
        "stripe_js": settings.stripe_js_origin.rstrip("/") + "/v3/",
    }
    return render(request, "budget/client/pay.html", context)
