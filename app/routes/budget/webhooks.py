"""Signed webhooks from payment providers (CSRF is skipped for /webhooks/)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.deps import AppSettings, DbSession
from app.routes.formdata import PostedBody
from app.services.budget import payment_events, payments

router = APIRouter()


@router.post("/webhooks/stripe")
def stripe_webhook(
    request: Request, session: DbSession, settings: AppSettings, payload: PostedBody
) -> JSONResponse:
    # `payload` is the raw body: the signature covers these exact bytes.
    signature = request.headers.get("stripe-signature", "")
    try:
        outcome = payment_events.handle_webhook(session, settings, payload, signature)
    except payments.BadSignature:
        return JSONResponse({"error": "bad signature"}, status_code=400)
    except payments.PaymentsDisabled:
        return JSONResponse({"error": "payments are not configured"}, status_code=404)
    except payments.PaymentNotYetKnown:
        # The payment's row is not committed yet: Stripe retries a 5xx, and nothing is stored.
        return JSONResponse(
            {"error": "payment not known yet"}, status_code=503, headers={"Retry-After": "5"}
        )
    return JSONResponse({"received": True, "outcome": outcome})
