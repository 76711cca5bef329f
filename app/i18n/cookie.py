"""The locale cookie: the one place that names, reads and sets it."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.responses import Response

from app.i18n import ALL_LOCALES, LOCALE_COOKIE

MAX_AGE = 365 * 24 * 3600


def read_locale_cookie(cookie_header: str) -> str | None:
    """The locale chosen earlier, from a raw Cookie header; None when absent or malformed."""
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(cookie_header)
    except Exception:  # malformed cookie header: ignore, negotiate from headers
        return None
    return cookies[LOCALE_COOKIE].value if LOCALE_COOKIE in cookies else None


def remember_locale(response: Response, locale: str | None, *, secure: bool) -> None:
    """Keep the user's language for a year; an unknown locale sets nothing."""
    if locale not in ALL_LOCALES:
        return
    response.set_cookie(
        LOCALE_COOKIE, locale, max_age=MAX_AGE, httponly=True, samesite="lax", secure=secure
    )
