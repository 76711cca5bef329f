"""Strong identification with OpenID Connect: start, callback (see app.services.identity.oidc)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import AppSettings, DbSession, LoginRateLimit
from app.errors import NotFound
from app.i18n.cookie import remember_locale
from app.routes.responses import render_error, safe_next
from app.services.identity import oidc, sessions
from app.services.identity.oidc import OidcError, PendingLogin

router = APIRouter()

PENDING_KEY = "oidc_pending"
OIDC_LOGIN_KEY = "oidc_login"


def _error_page(request: Request, error: OidcError) -> Response:
    return render_error(request, "identity/public/oidc_error.html", error)


@router.get("/auth/oidc/start", dependencies=[LoginRateLimit])
def oidc_start(request: Request, settings: AppSettings, next: str = "/") -> Response:
    if not oidc.enabled(settings):
        raise NotFound()
    try:
        url, pending = oidc.begin(settings, safe_next(next))
    except OidcError as error:
        return _error_page(request, error)
    request.session[PENDING_KEY] = pending.to_dict()
    return RedirectResponse(url, status_code=303)


@router.get("/auth/oidc/callback", dependencies=[LoginRateLimit])
def oidc_callback(request: Request, session: DbSession, settings: AppSettings) -> Response:
    if not oidc.enabled(settings):
        raise NotFound()
    pending = PendingLogin.from_dict(request.session.pop(PENDING_KEY, None))
    params = {k: v for k, v in request.query_params.items() if k in ("code", "state", "error")}
    try:
        claims = oidc.complete(settings, pending, params)
        user = oidc.user_for_claims(session, settings, claims)
    except OidcError as error:
        session.rollback()
        return _error_page(request, error)
    sessions.start(request.session, user)
    request.session[OIDC_LOGIN_KEY] = True
    response = RedirectResponse(pending.next if pending else "/", status_code=303)
    remember_locale(response, user.locale, secure=settings.secure_cookies)
    return response
