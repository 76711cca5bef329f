"""The access log: the client's "who has looked at my data" and the organiser admin's search."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import Admin, Client, DbSession
from app.forms import parse_id
from app.i18n import gettext, lazy_gettext
from app.models.user import Role
from app.navigation import MORE, register
from app.routes.responses import render_form
from app.services.identity import access_log
from app.templating import render

router = APIRouter()

register("/hallinto/lokitiedot", lazy_gettext("Access log"), {Role.admin}, order=80, group=MORE)


def _labels(admin: bool = False) -> dict[str, Any]:
    # The admin sees other people's events: neutral wording instead of "your".
    return {"purpose_kind": "AuditPurposeForAdmin" if admin else "AuditPurpose"}


def _before(request: Request) -> int | None:
    """The page cursor (`ennen`, an event id); anything else reads the newest page."""
    return parse_id(request.query_params.get("ennen"))


def _older_url(path: str, request: Request, older: int | None) -> str | None:
    if older is None:
        return None
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "ennen"]
    return f"{path}?{urlencode([*kept, ('ennen', str(older))])}"


def _newest_url(path: str, request: Request) -> str:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "ennen"]
    return f"{path}?{urlencode(kept)}" if kept else path


@router.get("/oma/lokitiedot")
def my_access_log(request: Request, session: DbSession, actor: Client) -> Response:
    page = access_log.my_access_log(session, actor, _before(request))
    ctx = {
        "rows": page.rows,
        "older_url": _older_url("/oma/lokitiedot", request, page.older),
        "newest_url": _newest_url("/oma/lokitiedot", request) if page.before else None,
    }
    return render(request, "identity/client/access_log.html", ctx | _labels())


def _date(value: str | None, name: str, errors: dict[str, str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = gettext("Enter a date, for example 31.12.2026.")
        return None


@router.get("/hallinto/lokitiedot")
def search_access_log(request: Request, session: DbSession, actor: Admin) -> Response:
    params = request.query_params
    values = {k: params.get(k, "") for k in ("client", "actor", "from", "to")}
    errors: dict[str, str] = {}
    client_id: int | None = None
    if values["client"]:
        wanted = parse_id(values["client"])
        if wanted is not None and access_log.is_organiser_client(session, actor, wanted):
            client_id = wanted
        else:
            errors["client"] = gettext("Choose one of the options.")
    filters = access_log.SearchFilters(
        client_id=client_id,
        actor_name=values["actor"].strip()[:100] or None,
        date_from=_date(values["from"], "from", errors),
        date_to=_date(values["to"], "to", errors),
    )
    searched = "haku" in params and not errors
    page = access_log.search(session, actor, filters, _before(request)) if searched else None
    path = "/hallinto/lokitiedot"
    ctx = {
        "rows": page.rows if page else [],
        "older_url": _older_url(path, request, page.older) if page else None,
        "newest_url": _newest_url(path, request) if page and page.before else None,
        "searched": searched,
        "clients": access_log.organiser_clients(session, actor),
    } | _labels(admin=True)
    return render_form(
        request, "identity/admin/audit_search.html", ctx, values=values, errors=errors
    )
