"""HTMX-aware error answers: a toast fragment for HTMX, a page otherwise, JSON for the API."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import AppError
from app.i18n import DEFAULT_LOCALE, get_locale, gettext, html_lang, reset_locale, set_locale
from app.routes.responses import done
from app.templating import is_htmx, render

log = logging.getLogger("hebu.errors")


def _titles() -> dict[int, str]:
    return {
        400: gettext("The request could not be handled"),
        401: gettext("Please log in"),
        403: gettext("No access"),
        404: gettext("Page not found"),
        405: gettext("The request could not be handled"),
        409: gettext("The request conflicts with the current state"),
        413: gettext("Too much at once"),
        422: gettext("Please check the information"),
        429: gettext("Too many attempts"),
        500: gettext("Something went wrong on our side"),
        503: gettext("The service is temporarily unavailable"),
    }


def _default_message(status: int) -> str:
    return {
        401: gettext("Log in to continue."),
        403: gettext("You do not have permission to do this."),
        404: gettext("The page or item was not found."),
        429: gettext("Please wait a moment and try again."),
        500: gettext("We could not complete your request. Nothing was saved. Please try again."),
        503: gettext("Please try again in a moment. Nothing was saved."),
    }.get(status, gettext("Something went wrong with your request."))


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str | None = None) -> Response:
    titles = _titles()
    title = titles.get(status, titles[500 if status >= 500 else 400])
    message = message or _default_message(status)
    if _wants_json(request):
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
    if is_htmx(request):
        # The toast goes to the page's live region; htmx is configured to swap 4xx/5xx.
        return render(
            request,
            "partials/_toast.html",
            {"title": title, "message": message, "level": "error"},
            status_code=status,
            headers={"HX-Retarget": "#toasts", "HX-Reswap": "beforeend"},
        )
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message},
        status_code=status,
    )


def _login_redirect(request: Request) -> Response:
    target = request.url.path + (("?" + request.url.query) if request.url.query else "")
    return done(request, "/login?" + urlencode({"next": target}))


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if exc.status_code == 401 and not _wants_json(request):
        return _login_redirect(request)
    return error_response(request, exc.status_code, exc.text())


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = getattr(exc, "headers", None)
    response = error_response(request, exc.status_code)
    if headers:
        response.headers.update(headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    # Forms validate in their routes and re-render themselves; this is for malformed
    # query/path parameters and JSON bodies.
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if errors and all(tuple(e.get("loc", ()))[:1] == ("path",) for e in errors):
        # A path that is no record's (`/palvelut/abc`, an id beyond any record): not found.
        return error_response(request, 404)
    if _wants_json(request):
        errors = [{"loc": list(e.get("loc", ())), "type": e.get("type")} for e in exc.errors()]
        return JSONResponse(
            {"error": {"status": 422, "message": gettext("Invalid parameters."), "fields": errors}},
            status_code=422,
        )
    return error_response(request, 422, gettext("Some of the information was not valid."))


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    # The database went away or is locked: the request's transaction was rolled back, so a
    # clear "try again" page is honest (nothing was saved). pool_pre_ping reconnects later.
    log.warning(
        "database unavailable", extra={"path": request.url.path, "error": type(exc).__name__}
    )
    token = set_locale(getattr(request.state, "locale", None) or DEFAULT_LOCALE)
    try:
        response = error_response(request, 503)
        response.headers["Retry-After"] = "5"
        response.headers["Content-Language"] = html_lang(get_locale())
        return response
    except Exception:  # rendering needed the database too: last resort, still translated
        return HTMLResponse(
            f"<h1>{gettext('The service is temporarily unavailable')}</h1>"
            f"<p>{gettext('Please try again in a moment. Nothing was saved.')}</p>",
            status_code=503,
            headers={"Retry-After": "5"},
        )
    finally:
        reset_locale(token)


async def _unhandled(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", extra={"path": request.url.path})
    # This handler runs outside the middleware that set the locale: restore it.
    token = set_locale(getattr(request.state, "locale", None) or DEFAULT_LOCALE)
    try:
        response = error_response(request, 500)
        response.headers["Content-Language"] = html_lang(get_locale())
        return response
    except Exception:  # the error page itself failed: last resort, still no details
        return HTMLResponse("<h1>500</h1>", status_code=500)
    finally:
        reset_locale(token)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(InterfaceError, _database_unavailable)
    app.add_exception_handler(Exception, _unhandled)
