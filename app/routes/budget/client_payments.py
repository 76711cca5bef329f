"""The client's own share: pay online when payments are configured, else invoiced."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import AppSettings, ClientPlan, ClientView, DbSession
from app.forms import Id
from app.routes.responses import done
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
        "prepaid_left": payments.prepaid_left(session, budget),
        "payments_enabled": settings.payments_enabled,
    }
    return render(request, "budget/client/own_share.html", context)


@router.post("/oma/omavastuu/maksu")
def start_payment(
    request: Request, session: DbSession, actor: ClientPlan, settings: AppSettings
) -> Response:
    """Step one: the payment recorded (committed before Stripe is called); two tabs get the
    same payment."""
    budget = required_budget_of_client(session, actor)
    payment = payments.open_payment(session, settings, actor, budget)
    return done(request, f"/oma/omavastuu/maksu/{payment.id}")


@router.get("/oma/omavastuu/maksu/{payment_id}")
def pay_page(
    request: Request, payment_id: Id, session: DbSession, actor: ClientPlan, settings: AppSettings
) -> Response:
    """Step two: the payment's PaymentIntent created (or read back) at Stripe, its id
    recorded, and the card form shown."""
    budget = required_budget_of_client(session, actor)
    payment = payments.payment_of(session, settings, budget, payment_id)
    secret = payments.send_payment(session, settings, payment)
    context = {
        "payment": payment,
        "client_secret": secret,
        "publishable_key": settings.stripe_publishable_key or "",
        "stripe_js": settings.stripe_js_origin.rstrip("/") + "/v3/",
    }
    return render(request, "budget/client/pay.html", context)
