"""Login and logout. The development login lets you pick a demo persona."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app import i18n
from app.deps import SESSION_USER_KEY, AppSettings, DbSession
from app.errors import NotFound
from app.models.base import utcnow
from app.navigation import home_for
from app.routes.public import safe_next
from app.services.users import dev_personas, get_dev_persona, load_actor
from app.templating import render

router = APIRouter()


def start_session(request: Request, user_id: int) -> None:
    """A fresh session on every login (no fixation): clear, then set."""
    request.session.clear()
    request.session[SESSION_USER_KEY] = user_id


@router.get("/login")
def login_page(
    request: Request, session: DbSession, settings: AppSettings, next: str = ""
) -> Response:
    personas = dev_personas(session) if settings.dev_login_enabled else []
    return render(
        request,
        "auth/login.html",
        {
            "personas": personas,
            "next": safe_next(next, default=""),
            "oidc": bool(settings.oidc_issuer),
        },
    )


@router.post("/login/dev")
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
    start_session(request, user.id)
    actor = load_actor(session, user.id)
    response = RedirectResponse(safe_next(next, default=home_for(actor)), status_code=303)
    if user.locale in i18n.ALL_LOCALES:
        response.set_cookie(
            i18n.LOCALE_COOKIE,
            user.locale,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
        )
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)
