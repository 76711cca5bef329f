"""Jinja environment: i18n, formatting filters, and page-or-fragment rendering."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import numbers
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments import render_block

from app import i18n, navigation
from app.config import get_settings
from app.i18n.labels import label, labels_of
from app.services.notifications import service as notification_service

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


def _gettext(message: str) -> str:
    return i18n.translations(i18n.get_locale()).ugettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.translations(i18n.get_locale()).ungettext(singular, plural, n)


def _pgettext(context: str, message: str) -> str:
    return i18n.translations(i18n.get_locale()).upgettext(context, message)


def _npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return i18n.translations(i18n.get_locale()).unpgettext(context, singular, plural, n)


def _static_version() -> str:
    newest = max((p.stat().st_mtime_ns for p in STATIC_DIR.rglob("*") if p.is_file()), default=0)
    return format(newest % 10**10, "x")


def _localized(texts: dict[str, str] | None) -> str:
    return i18n.localized(texts)[0]


def _decimal(value: float | Decimal | None, digits: int = 1) -> str:
    """A number with exactly `digits` decimals in the locale's style: 3.84 -> "3,8" in fi."""
    if value is None:
        return ""
    pattern = "#,##0." + "0" * digits if digits > 0 else "#,##0"
    return numbers.format_decimal(round(value, digits), format=pattern, locale=i18n.babel_locale())


def _build_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    env.filters["money"] = lambda cents, currency="EUR": i18n.format_money(cents, currency)
    env.filters["date"] = i18n.format_date
    env.filters["datetime"] = i18n.format_datetime
    env.filters["month"] = i18n.format_month
    env.filters["number"] = i18n.format_decimal
    env.filters["decimal"] = _decimal
    env.filters["percent"] = i18n.format_percent
    env.filters["localized"] = _localized
    env.globals["localized_with_fallback"] = i18n.localized
    env.globals["LOCALES"] = i18n.LOCALES + i18n.PLAIN_LOCALES
    env.globals["LOCALE_NAMES"] = i18n.LOCALE_NAMES
    env.globals["LOCALE_SHORT"] = i18n.LOCALE_SHORT
    env.globals["static_version"] = _static_version()
    # A one-time key in every form (the `csrf()` macro): a money form's post is done once.
    env.globals["new_form_key"] = lambda: secrets.token_hex(16)
    env.filters["label"] = label
    env.globals["labels_of"] = labels_of
    return env


templates = _build_env()


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def _unread_counter(request: Request) -> Callable[[], int] | None:
    """The header's unread count, read on the request's own session when the header asks."""
    actor = getattr(request.state, "actor", None)
    session = getattr(request.state, "db_session", None)
    if actor is None or session is None:
        return None
    return lambda: notification_service.unread_count(session, actor.user_id)


def base_context(request: Request) -> dict[str, Any]:
    settings = getattr(request.app.state, "settings", None) or get_settings()
    locale = i18n.get_locale()
    token_getter = request.scope.get("csrftoken")
    return {
        "request": request,
        "locale": locale,
        "html_lang": i18n.html_lang(locale),
        # the language of data stored per language (sv for sv@latt, fi for fi@selko)
        "language": i18n.base_language(locale),
        "csrftoken": token_getter() if callable(token_getter) else "",
        "actor": getattr(request.state, "actor", None),
        "menu": navigation.menu_for(getattr(request.state, "actor", None)),
        "settings": settings,
        "session_seconds_left": getattr(request.state, "session_seconds_left", 0),
        "unread_count": _unread_counter(request),
        "current_path": request.url.path + (("?" + request.url.query) if request.url.query else ""),
    }


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a whole page, or only `block` when the request comes from HTMX."""
    ctx = base_context(request)
    if context:
        ctx.update(context)
    if block and is_htmx(request):
        html = render_block(templates, template, block, ctx)
    else:
        html = templates.get_template(template).render(ctx)
    response = HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))
    response.headers.append("Vary", "HX-Request")
    return response
