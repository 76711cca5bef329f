"""The locale cookies: the one place that names, reads and sets them.

`hebu_lang` keeps the language for a year. `hebu_lang_chosen` is a browser-session cookie set
only when someone picks a language in this browser session: a login keeps that choice (and
stores it for the user), while a year-old `hebu_lang` a previous user of a shared computer
left behind gives way to the stored choice of whoever logs in. Login and logout clear it."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.responses import Response

from app.i18n import ALL_LOCALES, LOCALE_COOKIE

MAX_AGE = 365 * 24 * 3600
CHOSEN_COOKIE = "hebu_lang_chosen"


def read_locale_cookie(cookie_header: str, name: str = LOCALE_COOKIE) -> str | None:
    """The locale chosen earlier, from a raw Cookie header; None when absent or malformed."""
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(cookie_header)
    except Exception:  # malformed cookie header: ignore, negotiate from headers
        return None
    return cookies[name].value if name in cookies else None


def chosen_this_session(cookie_header: str) -> str | None:
    """The language picked in this browser session (since the last login or logout), if any."""
    chosen = read_locale_cookie(cookie_header, CHOSEN_COOKIE)
    return chosen if chosen in ALL_LOCALES else None


def remember_choice(response: Response, locale: str | None, *, secure: bool) -> None:
    """Someone picked `locale` now: kept for a year, and marked as this session's choice."""
    if locale not in ALL_LOCALES:
        return
    remember_locale(response, locale, secure=secure)
    response.set_cookie(CHOSEN_COOKIE, locale, httponly=True, samesite="lax", secure=secure)


def forget_choice(response: Response) -> None:
    """A login used the choice (or a logout ends it): the next person starts from their own."""
    response.delete_cookie(CHOSEN_COOKIE)


def remember_locale(response: Response, locale: str | None, *, secure: bool) -> None:
    """Keep the user's language for a year; an unknown locale sets nothing."""
    if locale not in ALL_LOCALES:
        return
    response.set_cookie(
        LOCALE_COOKIE, locale, max_age=MAX_AGE, httponly=True, samesite="lax", secure=secure
    )
