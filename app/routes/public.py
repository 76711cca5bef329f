"""Public pages: landing, accessibility statement, privacy notice, language, health."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import text

from app import i18n
from app.deps import AppSettings, DbSession, MaybeUser
from app.i18n.cookie import remember_choice
from app.navigation import home_for
from app.routes.responses import safe_next
from app.services import search
from app.services.research import scope
from app.templating import render

router = APIRouter()

ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 22)


@router.get("/")
def landing(request: Request, actor: MaybeUser) -> Response:
    return render(request, "public/index.html", {"actor": actor, "home_href": home_for(actor)})


@router.get("/saavutettavuus")
def accessibility_statement(request: Request, actor: MaybeUser) -> Response:
    return render(
        request,
        "public/accessibility.html",
        {"actor": actor, "statement_date": ACCESSIBILITY_STATEMENT_DATE},
    )


@router.get("/tietosuoja")
def privacy_notice(request: Request, actor: MaybeUser) -> Response:
    uses = {
        "research_uses": list(scope.RESEARCH_REPORTS.values()),
        "operational_uses": list(scope.OPERATIONAL.values()),
    }
    return render(request, "public/privacy.html", {"actor": actor, **uses})


@router.get("/lang/{locale}")
def switch_language(
    locale: str,
    session: DbSession,
    actor: MaybeUser,
    settings: AppSettings,
    next: str = "/",
) -> Response:
    if locale not in i18n.ALL_LOCALES:
        locale = i18n.DEFAULT_LOCALE
    response = RedirectResponse(safe_next(next), status_code=303)
    remember_choice(response, locale, secure=settings.secure_cookies)
    if actor is not None:
        actor.user.locale = locale
        session.add(actor.user)
    return response


@router.get("/healthz")
def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/readyz")
def readyz(request: Request, session: DbSession) -> JSONResponse:
    """Ready for traffic: the database answers, and so does the search engine (the embedded
    one's tables, or Meilisearch's health). /healthz stays a cheap liveness answer."""
    try:
        session.execute(text("SELECT 1"))
        database = True
    except Exception:
        database = False
    found = database and search.engine_for(request.app.state.engine).health()
    checks = {"database": "up" if database else "down", "search": "up" if found else "down"}
    ready = database and found
    body = {"status": "ok" if ready else "unavailable", **checks}
    return JSONResponse(body, status_code=200 if ready else 503)
