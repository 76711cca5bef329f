"""Organiser admins: need against supply, value for money, and budget sums against realised
spending (HTML, CSV, XLSX). The services scope every figure and audit-log each view."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import Admin, DbSession
from app.i18n import get_locale
from app.services import exports
from app.services.reports import market_tables, need_supply, spending, value_for_money
from app.templating import render

router = APIRouter(prefix="/hallinto/raportit")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(name: str, fmt: str, rows: list[list[object]]) -> Response:
    if fmt == "csv":
        body: str | bytes = exports.to_csv(rows, delimiter=";")
        media = "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(rows, name[:31])
        media = XLSX
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def _both(
    path: str, name: str, rows: Callable[[DbSession, Admin, str], list[list[object]]]
) -> None:
    """Register the CSV and XLSX downloads of one view."""

    def csv(session: DbSession, actor: Admin) -> Response:
        return _download(name, "csv", rows(session, actor, "csv"))

    def xlsx(session: DbSession, actor: Admin) -> Response:
        return _download(name, "xlsx", rows(session, actor, "xlsx"))

    router.add_api_route(f"{path}.csv", csv, methods=["GET"], name=f"{name}_csv")
    router.add_api_route(f"{path}.xlsx", xlsx, methods=["GET"], name=f"{name}_xlsx")


# --- need against supply --------------------------------------------------------------------


@router.get("/tarve-ja-tarjonta")
def need_page(request: Request, session: DbSession, actor: Admin) -> Response:
    report = need_supply.build(session, actor)
    return render(request, "reports/admin/need_supply.html", {"r": report})


_both(
    "/tarve-ja-tarjonta",
    "tarve-ja-tarjonta",
    lambda s, a, fmt: market_tables.need_rows(need_supply.build(s, a, fmt), get_locale()),
)


# --- value for money ------------------------------------------------------------------------


@router.get("/hinta-ja-vaikutus")
def value_page(request: Request, session: DbSession, actor: Admin) -> Response:
    report = value_for_money.build(session, actor)
    return render(request, "reports/admin/value_for_money.html", {"r": report})


_both(
    "/hinta-ja-vaikutus",
    "hinta-ja-vaikutus",
    lambda s, a, fmt: market_tables.value_rows(value_for_money.build(s, a, fmt), get_locale()),
)


# --- budget sums and spending ---------------------------------------------------------------


@router.get("/talous")
def spending_page(request: Request, session: DbSession, actor: Admin) -> Response:
    report = spending.build(session, actor)
    return render(request, "reports/admin/spending.html", {"r": report})


_both(
    "/talous",
    "talous",
    lambda s, a, fmt: market_tables.spending_rows(spending.build(s, a, fmt), get_locale(), {}),
)
