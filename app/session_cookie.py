"""The login session's cookie: only a random token (the session itself is on the server,
see app.services.identity.sessions)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.config import Settings

SESSION_COOKIE = "hebu_session"


def token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def issue(response: Response, value: str, settings: Settings) -> None:
    """The cookie of a new session: HttpOnly, SameSite=Lax, Secure outside development; it
    lasts no longer than the session's absolute lifetime."""
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def clear(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies
    )
