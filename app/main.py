"""The application factory."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app import worker
from app.body_limit import BodyLimitMiddleware
from app.config import Environment, Settings, get_settings
from app.csrf import CsrfMiddleware
from app.db import make_engine
from app.error_pages import error_response, install_error_handlers
from app.i18n.compile import compile_catalogues
from app.logging_setup import configure_logging
from app.metrics import MetricsMiddleware, route_capture
from app.middleware import RequestContextMiddleware, without_authorization
from app.routes import public
from app.routes.assessment import caseworker as assessment_caseworker
from app.routes.assessment import client as assessment_client
from app.routes.assessment import client_goals
from app.routes.budget import admin as budget_admin
from app.routes.budget import caseworker as budget_caseworker
from app.routes.budget import client as budget_client
from app.routes.budget import client_balance, client_payments, webhooks
from app.routes.budget import provider as budget_provider
from app.routes.catalogue import admin as catalogue_admin
from app.routes.catalogue import admin_synonyms
from app.routes.catalogue import api as catalogue_api
from app.routes.catalogue import favourites as catalogue_favourites
from app.routes.catalogue import provider as catalogue_provider
from app.routes.catalogue import public as catalogue_public
from app.routes.identity import access_log, invitations, login, mandates, my_data, oidc
from app.routes.notifications import inbox as notification_inbox
from app.routes.operations import admin as operations_admin
from app.routes.ratings import admin as ratings_admin
from app.routes.ratings import client as ratings_client
from app.routes.ratings import provider as ratings_provider
from app.routes.reports import admin as reports_admin
from app.routes.reports import impact as reports_impact
from app.routes.reports import market as reports_market
from app.routes.reports import provider as reports_provider
from app.routes.research import admin as research_admin
from app.routes.research import caseworker as research_caseworker
from app.routes.research import caseworker_teaming as research_teaming
from app.routes.research import client as research_client
from app.routes.research import provider as research_provider
from app.services import search
from app.services.assessment import instruments
from app.templating import STATIC_DIR, templates

# Every route module, by domain. Only PUBLIC_API's routes are in the published schema.
ROUTERS = (
    public,
    # identity
    login,
    oidc,
    mandates,
    access_log,
    my_data,
    notification_inbox,
    invitations,
    # catalogue
    catalogue_public,
    catalogue_api,
    catalogue_provider,
    catalogue_admin,
    catalogue_favourites,
    admin_synonyms,
    # assessment
    assessment_client,
    client_goals,
    assessment_caseworker,
    # budget
    budget_client,
    client_balance,
    budget_caseworker,
    budget_provider,
    client_payments,
    webhooks,
    budget_admin,
    # ratings
    ratings_client,
    ratings_provider,
    ratings_admin,
    # research
    research_client,
    research_caseworker,
    research_teaming,
    research_provider,
    research_admin,
    # reports
    reports_admin,
    reports_impact,
    reports_market,
    reports_provider,
    # operations
    operations_admin,
)
PUBLIC_API = catalogue_api

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
        lifespan=worker.in_process,
    )
    app.state.settings = settings
    # Checking every template file's mtime on each render costs a stat() per template.
    templates.auto_reload = settings.environment is Environment.development
    app.state.engine = engine or make_engine(settings.database_url)
    search.configure(settings.meili_url, settings.meili_key)
    install_error_handlers(app)
    app.mount("/static", CachedStatic(directory=str(STATIC_DIR)), name="static")
    for module in ROUTERS:
        # The published schema (/api/openapi.json) is the public JSON API only.
        app.include_router(module.router, include_in_schema=module is PUBLIC_API)

    # Middleware: the last added is the outermost.
    # Innermost: tells the metrics (outermost) which route answered.
    app.add_middleware(route_capture)
    # No session middleware: the login session is a server-side row found from the cookie's
    # token by `deps.optional_actor` (app.services.identity.sessions).
    app.add_middleware(
        CsrfMiddleware,
        signing_secret=settings.secret_key,
        always_protect=ALWAYS_PROTECT,
        always_set_cookie=True,
        skip_if_scope=_skip_csrf,
        cookie_secure=settings.secure_cookies,
        send_csrf_failed=_csrf_failed,
    )
    # asgi-csrf skips its check for "Authorization: Bearer"; Hebu authenticates by session
    # cookie only, so that header is dropped before the check can be talked out of it.
    app.add_middleware(without_authorization)
    # Outside CSRF and sessions: the whole body is read (bounded in size and time) before any
    # of them or a route runs, so no transaction waits on a slow client.
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        timeout=settings.body_timeout_seconds,
    )
    app.add_middleware(RequestContextMiddleware, settings=settings)
    # Outermost: compresses HTML, CSS, JS and JSON (first load of a page stays under 50 KB).
    # BREACH: the CSRF and session cookies are SameSite=Lax, so a cross-site attacker cannot
    # make the browser send credentialed requests whose compressed size it could observe.
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    # Around everything the app does (compression too); answers /metrics itself.
    app.add_middleware(MetricsMiddleware, settings=settings, engine=app.state.engine)
    if settings.trusted_proxies:
        # Outermost of all: everything after sees the real client (the login rate limit too).
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app
