"""Login and logout. The development login lets you pick a demo persona."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app.deps import AppSettings, CurrentUser, DbSession, LoginRateLimit
from app.errors import NotFound
from app.i18n.cookie import remember_locale
from app.models.base import utcnow
from app.navigation import home_for
from app.routes.responses import safe_next
from app.services.identity import oidc, sessions
from app.services.identity.users import dev_personas, get_dev_persona, load_actor
from app.templating import render

router = APIRouter()


@router.get("/login")
def login_page(
    request: Request, session: DbSession, settings: AppSettings, next: str = ""
) -> Response:
    personas = dev_personas(session) if settings.dev_login_enabled else []
    ended = bool(request.session.pop(sessions.ENDED_KEY, False))
    return render(
        request,
        "identity/public/login.html",
        {
            "personas": personas,
            "next": safe_next(next, default=""),
            "oidc": bool(settings.oidc_issuer),
            "session_ended": ended,
        },
    )


@router.post("/login/dev", dependencies=[LoginRateLimit])
def dev_login(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    persona: str = Form(max_length=60),
    next: str = Form(""),
) -> Response:
    if not settings.dev_login_enabled:
        raise NotFound()
    user = get_dev_persona(session, persona)
    if user is None or user.id is None:
        raise NotFound()
    user.last_login_at = utcnow()
    session.add(user)
    sessions.start(request.session, user)
    actor = load_actor(session, user.id)
    response = RedirectResponse(safe_next(next, default=home_for(actor)), status_code=303)
    remember_locale(response, user.locale, secure=settings.secure_cookies)
    return response


@router.post("/logout")
def logout(request: Request, settings: AppSettings) -> Response:
    """Local logout; after a strong identification also at the IdP (RP-initiated logout)."""
    via_oidc = bool(request.session.get("oidc_login"))
    request.session.clear()
    target = None
    if via_oidc and oidc.enabled(settings):
        target = oidc.logout_url(settings, settings.base_url.rstrip("/") + "/")
    return RedirectResponse(target or "/", status_code=303)


@router.post("/logout/everywhere")
def logout_everywhere(request: Request, session: DbSession, actor: CurrentUser) -> Response:
    """End this user's sessions on every device."""
    sessions.end_everywhere(session, actor.user, request.session)
    return RedirectResponse("/", status_code=303)


@router.post("/session/extend")
def extend_session(
    request: Request, settings: AppSettings, actor: CurrentUser, next: str = Form("/")
) -> Response:
    """Keep the session alive (the idle warning's button). The request itself renews it."""
    seconds = sessions.seconds_left(request.session, settings)
    if request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"seconds_left": seconds})
    return RedirectResponse(safe_next(next), status_code=303)
