"""Strong identification with OpenID Connect: start, callback (see app.services.identity.oidc)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app import session_cookie
from app.config import Settings
from app.deps import AppSettings, DbSession, LoginRateLimit
from app.errors import NotFound
from app.i18n.cookie import chosen_this_session, forget_choice, remember_locale
from app.routes.responses import render_error, safe_next
from app.services.identity import oidc, sessions
from app.services.identity.oidc import OidcError, PendingLogin
from app.services.identity.users import login_locale

router = APIRouter()

# The login in progress (state, nonce, PKCE verifier, where to go next) waits in its own
# signed cookie for the ten minutes the user may take at the provider; it is bound to this
# browser and used once. It is sent back on the provider's top-level redirect (SameSite=Lax).
PENDING_COOKIE = "hebu_oidc"
PENDING_PATH = "/auth/oidc"
PENDING_SECONDS = 600
PENDING_SALT = "hebu.oidc.pending"


def _signer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=PENDING_SALT)


def _read_pending(request: Request, settings: Settings) -> PendingLogin | None:
    raw = request.cookies.get(PENDING_COOKIE)
    if not raw:
        return None
    try:
        data = _signer(settings).loads(raw, max_age=PENDING_SECONDS)
    except BadSignature:  # also SignatureExpired
        return None
    return PendingLogin.from_dict(data)


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
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        PENDING_COOKIE,
        _signer(settings).dumps(pending.to_dict()),
        max_age=PENDING_SECONDS,
        path=PENDING_PATH,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/auth/oidc/callback", dependencies=[LoginRateLimit])
def oidc_callback(request: Request, session: DbSession, settings: AppSettings) -> Response:
    if not oidc.enabled(settings):
        raise NotFound()
    pending = _read_pending(request, settings)
    params = {k: v for k, v in request.query_params.items() if k in ("code", "state", "error")}
    try:
        claims = oidc.complete(settings, pending, params)
        user = oidc.user_for_claims(session, settings, claims)
    except OidcError as error:
        session.rollback()
        response = _error_page(request, error)
    else:
        token = sessions.start(
            session, user, via_oidc=True, replacing=session_cookie.token(request)
        )
        response = RedirectResponse(pending.next if pending else "/", status_code=303)
        session_cookie.issue(response, token, settings)
        chosen = chosen_this_session(request.headers.get("cookie", ""))
        remember_locale(
            response, login_locale(session, user, chosen), secure=settings.secure_cookies
        )
        forget_choice(response)
    response.delete_cookie(PENDING_COOKIE, path=PENDING_PATH)  # used once, whatever the outcome
    return response
