"""ASGI middleware: request id, locale, security headers, access log without personal data."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlparse

from app import i18n, logging_setup
from app.config import Settings
from app.i18n.cookie import read_locale_cookie
from app.session_cookie import SESSION_COOKIE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("hebu.access")
NO_STORE = (b"cache-control", b"no-store")


def without_authorization(app: ASGIApp) -> ASGIApp:
    """Drop the `Authorization` header: Hebu has no bearer authentication, and asgi-csrf
    would skip its check for a request that carries one."""

    async def strip(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope["headers"] = [
                (k, v) for k, v in scope["headers"] if k.lower() != b"authorization"
            ]
        await app(scope, receive, send)

    return strip


def _personal(path: str, request_cookie: str, raw: list[tuple[bytes, bytes]]) -> bool:
    """Whether a response may show personal data: any answer outside /static/ to a request
    with a session, or one that starts a session (a login)."""
    if path.startswith("/static/"):
        return False
    if f"{SESSION_COOKIE}=" in request_cookie:
        return True
    marker = f"{SESSION_COOKIE}=".encode()
    return any(k.lower() == b"set-cookie" and v.startswith(marker) for k, v in raw)


def content_security_policy(settings: Settings) -> str:
    script = ["'self'"]
    frame = ["'none'"]
    connect = ["'self'"]
    form_action = ["'self'"]
    if settings.payments_enabled:
        script.append(settings.stripe_js_origin)
        frame = [settings.stripe_js_origin]
        connect.append("https://api.stripe.com")
    if settings.oidc_issuer:
        parsed = urlparse(settings.oidc_issuer)
        form_action.append(f"{parsed.scheme}://{parsed.netloc}")
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {' '.join(script)}",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src {' '.join(connect)}",
            f"frame-src {' '.join(frame)}",
            "object-src 'none'",
            "base-uri 'none'",
            f"form-action {' '.join(form_action)}",
            "frame-ancestors 'none'",
        ]
    )


class RequestContextMiddleware:
    """Sets the request id and locale for the request and adds the response headers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.csp = content_security_policy(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = headers.get("x-request-id", "")[:64] or secrets.token_hex(8)
        cookie_locale = read_locale_cookie(headers.get("cookie", ""))
        locale = i18n.negotiate(cookie_locale, None, headers.get("accept-language", ""))
        scope.setdefault("state", {})
        scope["state"]["request_id"] = request_id
        scope["state"]["locale"] = locale
        token = i18n.set_locale(locale)
        logged_as = logging_setup.request_id.set(request_id)
        started = time.perf_counter()
        status_holder: dict[str, int] = {}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                current = i18n.get_locale()
                raw = list(message.get("headers", []))
                names = {k.lower() for k, _ in raw}
                extra = [
                    (b"x-request-id", request_id.encode()),
                    (b"content-language", i18n.html_lang(current).encode()),
                    (b"vary", b"Accept-Language, Cookie"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", self.csp.encode()))
                if b"x-frame-options" not in names:
                    extra.append((b"x-frame-options", b"DENY"))
                if self.settings.secure_cookies:
                    extra.append(
                        (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
                    )
                if _personal(scope.get("path", ""), headers.get("cookie", ""), raw):
                    raw = [(k, v) for k, v in raw if k.lower() != b"cache-control"]
                    extra.append(NO_STORE)
                raw = [(k, v) for k, v in raw if k.lower() != b"content-language"]
                message["headers"] = raw + extra
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            i18n.reset_locale(token)
            logging_setup.request_id.reset(logged_as)
            access_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope.get("method"),
                    # Path only: query strings may carry personal search terms.
                    "path": scope.get("path"),
                    "status": status_holder.get("status"),
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
