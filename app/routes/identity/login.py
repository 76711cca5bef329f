"""Login and logout. The development login lets you pick a demo persona."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app import session_cookie
from app.deps import AppSettings, CurrentUser, DbSession, LoginRateLimit, ThisSession
from app.errors import NotFound
from app.i18n.cookie import chosen_this_session, forget_choice, remember_locale
from app.models.base import utcnow
from app.navigation import home_for
from app.routes.responses import safe_next
from app.services.identity import oidc, sessions
from app.services.identity.users import dev_personas, get_dev_persona, load_actor, login_locale
from app.templating import render

router = APIRouter()


@router.get("/login")
def login_page(
    request: Request, session: DbSession, settings: AppSettings, next: str = ""
) -> Response:
    personas = dev_personas(session) if settings.dev_login_enabled else []
    previous = sessions.find(session, session_cookie.token(request))
    response = render(
        request,
        "identity/public/login.html",
        {
            "personas": personas,
            "next": safe_next(next, default=""),
            "oidc": bool(settings.oidc_issuer),
            "session_ended": sessions.ended_notice(previous, settings),
        },
    )
    if previous is not None and not sessions.is_current(previous, settings):
        session_cookie.clear(response, settings)  # said once; the token is of no more use
    return response


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
    token = sessions.start(session, user, replacing=session_cookie.token(request))
    actor = load_actor(session, user.id)
    response = RedirectResponse(safe_next(next, default=home_for(actor)), status_code=303)
    session_cookie.issue(response, token, settings)
    locale = login_locale(session, user, chosen_this_session(request.headers.get("cookie", "")))
    remember_locale(response, locale, secure=settings.secure_cookies)
    forget_choice(response)
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession, settings: AppSettings) -> Response:
    """Ends the session on the server (its cookie is refused from now on); after a strong
    identification also at the IdP (RP-initiated logout)."""
    row = sessions.find(session, session_cookie.token(request))
    target = None
    if row is not None:
        sessions.end(session, row)
        if row.via_oidc and oidc.enabled(settings):
            target = oidc.logout_url(settings, settings.base_url.rstrip("/") + "/")
    response = RedirectResponse(target or "/", status_code=303)
    session_cookie.clear(response, settings)
    forget_choice(response)
    return response


@router.post("/logout/everywhere")
def logout_everywhere(session: DbSession, settings: AppSettings, actor: CurrentUser) -> Response:
    """End this user's sessions on every device."""
    sessions.end_everywhere(session, actor.user)
    response = RedirectResponse("/", status_code=303)
    session_cookie.clear(response, settings)
    forget_choice(response)
    return response


@router.post("/session/extend")
def extend_session(
    request: Request, settings: AppSettings, this_session: ThisSession, next: str = Form("/")
) -> Response:
    """Keep the session alive (the idle warning's button). The request itself renews it."""
    seconds = sessions.seconds_left(this_session, settings)
    if request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"seconds_left": seconds})
    return RedirectResponse(safe_next(next), status_code=303)
