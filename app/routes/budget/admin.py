"""Organiser admins: the monthly settlement per provider, on screen and as CSV."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import Admin, DbSession
from app.i18n import lazy_gettext
from app.models.user import Role
from app.navigation import register
from app.services.budget import settlement
from app.templating import render

router = APIRouter()
register("/hallinto/tilitys", lazy_gettext("Settlement"), {Role.admin}, order=60)


def _month(month: str | None) -> tuple[int, int]:
    today = date.today()
    if month:
        try:
            year_text, month_text = month.split("-", 1)
            year, number = int(year_text), int(month_text)
            if 2000 <= year <= 2100 and 1 <= number <= 12:
                return year, number
        except ValueError:
            pass
    return today.year, today.month


@router.get("/hallinto/tilitys")
def settlement_page(
    request: Request, session: DbSession, actor: Admin, month: str | None = None
) -> Response:
    year, number = _month(month)
    rows = settlement.monthly(session, actor, year, number)
    context = {
        "rows": rows,
        "month": f"{year}-{number:02d}",
        "total": sum(r.total_cents for r in rows),
        "month_label": f"{number}/{year}",
    }
    return render(request, "budget/admin/settlement.html", context)


@router.get("/hallinto/tilitys.csv")
def settlement_csv(session: DbSession, actor: Admin, month: str | None = None) -> Response:
    year, number = _month(month)
    body = settlement.to_csv(settlement.monthly(session, actor, year, number), year, number)
    filename = f"tilitys-{year}-{number:02d}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
