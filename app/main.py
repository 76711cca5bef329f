"""The application factory."""

from __future__ import annotations

from typing import Any

from asgi_csrf import asgi_csrf
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from app.config import Environment, Settings, get_settings
from app.db import make_engine
from app.errors import error_response, install_error_handlers
from app.i18n.compile import compile_catalogues
from app.logging_setup import configure_logging
from app.middleware import RequestContextMiddleware
from app.routes import (
    access_log,
    auth,
    budget_balance,
    budget_caseworker,
    budget_client,
    caseworker_assessment,
    catalogue,
    catalogue_admin,
    catalogue_api,
    client_assessment,
    client_goals,
    evaluation,
    invitations,
    mandates,
    oidc,
    payments_client,
    provider,
    provider_orders,
    public,
    ratings_client,
    ratings_staff,
    reports_admin,
    research_admin,
    research_caseworker,
    research_client,
    settlement,
    webhooks,
)
from app.services import instruments, search
from app.templating import STATIC_DIR, templates

# Paths that must be checked even when the browser sends no cookie yet.
ALWAYS_PROTECT = {"/login/dev", "/logout", "/logout/everywhere", "/session/extend"}


class CachedStatic(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def _skip_csrf(scope: dict[str, Any]) -> bool:
    # Signed webhooks authenticate themselves; the JSON API is read-only.
    path: str = scope.get("path", "")
    return path.startswith("/webhooks/")


async def _csrf_failed(scope: dict[str, Any], send: Any, message_id: Any) -> None:
    from app.i18n import gettext

    request = Request(scope)
    response = error_response(
        request,
        403,
        gettext("The form had expired or was sent from elsewhere. Please reload and try again."),
    )
    await response(scope, _noop_receive, send)


async def _noop_receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_json, settings.log_level)
    compile_catalogues()
    instruments.registry()  # a broken questionnaire definition fails here, naming file and item
    app = FastAPI(
        title="Hebu",
        version="0.1.0",
        description="Personal budgets for social and health care: public catalogue API.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    # Checking every template file's mtime on each render costs a stat() per template.
    templates.auto_reload = settings.environment is Environment.development
    app.state.engine = engine or make_engine(settings.database_url)
    search.configure(settings.meili_url, settings.meili_key)
    install_error_handlers(app)
    app.mount("/static", CachedStatic(directory=str(STATIC_DIR)), name="static")
    app.include_router(public.router)
    app.include_router(auth.router)
    app.include_router(oidc.router)
    app.include_router(mandates.router)
    app.include_router(access_log.router)
    app.include_router(invitations.router)
    app.include_router(catalogue.router)
    app.include_router(catalogue_api.router)
    app.include_router(provider.router)
    app.include_router(catalogue_admin.router)
    app.include_router(client_assessment.router)
    app.include_router(client_goals.router)
    app.include_router(caseworker_assessment.router)
    app.include_router(budget_client.router)
    app.include_router(budget_balance.router)
    app.include_router(budget_caseworker.router)
    app.include_router(provider_orders.router)
    app.include_router(payments_client.router)
    app.include_router(webhooks.router)
    app.include_router(settlement.router)
    app.include_router(ratings_client.router)
    app.include_router(ratings_staff.router)
    app.include_router(research_client.router)
    app.include_router(research_caseworker.router)
    app.include_router(research_admin.router)
    app.include_router(evaluation.router)
    app.include_router(reports_admin.router)

    # Middleware: the last added is the outermost.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="hebu_session",
        max_age=settings.session_absolute_hours * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(
        asgi_csrf,
        signing_secret=settings.secret_key,
        always_protect=ALWAYS_PROTECT,
        always_set_cookie=True,
        skip_if_scope=_skip_csrf,
        cookie_secure=settings.secure_cookies,
        send_csrf_failed=_csrf_failed,
    )
    app.add_middleware(RequestContextMiddleware, settings=settings)
    # Outermost: compresses HTML, CSS, JS and JSON (first load of a page stays under 50 KB).
    # BREACH: the CSRF and session cookies are SameSite=Lax, so a cross-site attacker cannot
    # make the browser send credentialed requests whose compressed size it could observe.
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    return app
