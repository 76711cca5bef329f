"""Organiser admins: the indicator report (HTML, CSV, XLSX), provider effect evidence, costs and
ROSI, and group-level goal attainment. Every view is audit-logged by the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TypeVar, Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app import navigation
from app.deps import Admin, DbSession
from app.errors import AppError
from app.forms import Id, parse_decimal_between, parse_id, parse_money_cents
from app.i18n import get_locale, lazy_gettext
from app.models.user import Role
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, done, post_form, render_form
from app.services.reports import costs, effects, goal_attainment, indicators, rosi
from app.services.reports import data as report_data
from app.services.reports.periods import HalfYear
from app.templating import render

router = APIRouter(prefix="/hallinto/raportit")
navigation.register("/hallinto/raportit", lazy_gettext("Reports"), {Role.admin}, order=65)

BASE = "/hallinto/raportit"
FormT = TypeVar("FormT", bound=BaseModel)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CommentForm(BaseModel):
    block: str = Field(max_length=10)
    period: str = Field(max_length=7)
    text: str = Field(default="", max_length=4000)


class ManualForm(BaseModel):
    block: str = Field(max_length=10)
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field(default="", max_length=40)


@router.get("")
def index(request: Request, actor: Admin) -> Response:
    return render(request, "reports/admin/index.html", {})


# --- indicators -----------------------------------------------------------------------------


def _counted(snap: report_data.Snapshot) -> dict[str, int]:
    """For the page's "n clients with consent of N" line."""
    return {"counted": snap.counted, "eligible": snap.eligible}


def _indicator_report(
    session: DbSession, actor: Admin, alku: str | None, fmt: str
) -> tuple[indicators.Report, HalfYear, report_data.Snapshot]:
    snap = report_data.load(session, actor, "indicators", fmt)
    today = date.today()
    baseline = (HalfYear.parse(alku) if alku else None) or indicators.default_baseline(snap, today)
    periods = indicators.periods_from(baseline, today)
    return indicators.build(session, actor, snap, periods), baseline, snap


def _indicator_page(
    request: Request,
    session: DbSession,
    actor: Admin,
    alku: str | None,
    **shown: Unpack[FormShown],
) -> Response:
    report, baseline, snap = _indicator_report(session, actor, alku, "html")
    context = {
        **_counted(snap),
        "report": report,
        "baseline": baseline.key,
        "blocks": indicators.BLOCKS,
        "label": lambda label: indicators.label_text(label, get_locale()),
    }
    return render_form(request, "reports/admin/indicators.html", context, **shown)


@router.get("/indikaattorit")
def indicator_page(
    request: Request, session: DbSession, actor: Admin, alku: str | None = None
) -> Response:
    return _indicator_page(request, session, actor, alku)


def _lines(session: DbSession, actor: Admin, alku: str | None, fmt: str) -> list[list[object]]:
    report, _baseline, _snap = _indicator_report(session, actor, alku, fmt)
    locale = get_locale()
    return indicators.table(report, lambda label: indicators.label_text(label, locale))


@router.get("/indikaattorit.csv")
def indicator_csv(session: DbSession, actor: Admin, alku: str | None = None) -> Response:
    body = indicators.to_csv(_lines(session, actor, alku, "csv"))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="indikaattorit.csv"'},
    )


@router.get("/indikaattorit.xlsx")
def indicator_xlsx(session: DbSession, actor: Admin, alku: str | None = None) -> Response:
    body = indicators.to_xlsx(_lines(session, actor, alku, "xlsx"))
    return Response(
        body,
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="indikaattorit.xlsx"'},
    )


def _indicator_post(
    request: Request,
    session: DbSession,
    actor: Admin,
    form: PostedForm,
    model: type[FormT],
    save: Callable[[FormT], str],
) -> Response:
    """One form of the indicator page: shown again with its errors (422), or saved and back to
    the page at the anchor `save` returns."""
    alku = str(form.get("alku") or "")
    return post_form(
        request,
        form,
        model,
        act=save,
        then=lambda anchor: f"{BASE}/indikaattorit?alku={alku}{anchor}",
        again=partial(_indicator_page, request, session, actor, alku),
    )


@router.post("/indikaattorit/kommentti")
def save_comment(request: Request, session: DbSession, actor: Admin, form: PostedForm) -> Response:
    def save(data: CommentForm) -> str:
        indicators.save_comment(session, actor, data.block, data.period, data.text)
        return f"#block-{data.block}"

    return _indicator_post(request, session, actor, form, CommentForm, save)


@router.post("/indikaattorit/omat")
def add_manual(request: Request, session: DbSession, actor: Admin, form: PostedForm) -> Response:
    def save(data: ManualForm) -> str:
        indicators.add_manual(session, actor, data.block, data.name, data.unit)
        return ""

    return _indicator_post(request, session, actor, form, ManualForm, save)


def _indicator_values(
    request: Request,
    session: DbSession,
    actor: Admin,
    form: PostedForm,
    prefix: str,
    field: str,
    save: Callable[[dict[str, Decimal | None]], str],
) -> Response:
    """A form of figures named `<prefix><key>`: each parsed as a number, or the page again with
    the errors under `<field><key>` (422); saved, then back to the page at `save`'s anchor."""
    alku = str(form.get("alku") or "")
    keys = [k.removeprefix(prefix) for k in form if k.startswith(prefix)]
    parsed: dict[str, Decimal | None] = {}
    errors: dict[str, str] = {}
    for key in keys:
        try:
            parsed[key] = indicators.parse_value(str(form.get(prefix + key) or ""))
        except AppError as exc:
            errors[field + key] = str(exc.text())
    if errors:
        values = {field + k: str(form.get(prefix + k)) for k in keys}
        return _indicator_page(request, session, actor, alku, values=values, errors=errors)
    return done(request, f"{BASE}/indikaattorit?alku={alku}{save(parsed)}")


@router.post("/indikaattorit/omat/{indicator_id}")
def set_manual(
    request: Request, indicator_id: Id, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    def save(parsed: dict[str, Decimal | None]) -> str:
        indicators.set_manual_values(session, actor, indicator_id, parsed)
        return ""

    return _indicator_values(request, session, actor, form, "v-", f"m{indicator_id}-", save)


@router.post("/indikaattorit/tavoitteet")
def set_targets(request: Request, session: DbSession, actor: Admin, form: PostedForm) -> Response:
    def save(parsed: dict[str, Decimal | None]) -> str:
        indicators.save_targets(session, actor, parsed)
        return "#targets-heading"

    return _indicator_values(request, session, actor, form, "t-", "target-", save)


# --- provider effects -----------------------------------------------------------------------


@router.get("/vaikutukset")
def effect_page(request: Request, session: DbSession, actor: Admin) -> Response:
    snap = report_data.load(session, actor, "provider_effects")
    context = {
        **_counted(snap),
        "providers": effects.by_provider(session, snap),
        "categories": effects.by_category(session, snap),
    }
    return render(request, "reports/admin/effects.html", context)


# --- goal attainment ------------------------------------------------------------------------


@router.get("/tavoitteet")
def goal_page(request: Request, session: DbSession, actor: Admin) -> Response:
    snap = report_data.load(session, actor, "goal_attainment")
    by_unit = goal_attainment.distribution(snap, "unit")
    context = {
        **_counted(snap),
        "by_unit": by_unit,
        "unit_names": goal_attainment.unit_names(session, [r.key for r in by_unit], get_locale()),
        "by_group": goal_attainment.distribution(snap, "group"),
        "bands": goal_attainment.BANDS,
    }
    return render(request, "reports/admin/goals.html", context)


# --- costs and ROSI -------------------------------------------------------------------------


def _date(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _count(text: str) -> Decimal | None:
    if not text.strip():
        return Decimal(0)
    try:
        return parse_decimal_between(text, 0, 100_000)
    except ValueError:
        return None


@router.get("/kustannukset")
def cost_page(request: Request, session: DbSession, actor: Admin) -> Response:
    return _cost_page(request, session, actor, {})


def _cost_page(
    request: Request,
    session: DbSession,
    actor: Admin,
    reference_errors: dict[int, str],
    typed: dict[int, str] | None = None,
) -> Response:
    query = request.query_params
    today = date.today()
    start = _date(query.get("alku"), date(today.year, 1, 1))
    end = _date(query.get("loppu"), date(today.year + 1, 1, 1))
    snap = report_data.load(session, actor, "costs")
    summary = costs.summary(snap, start, end)
    references = costs.reference_costs(session, actor)
    errors: dict[str, str] = {}
    avoided: dict[str, Decimal] = {}
    values: dict[str, str] = {}
    for ref in references:
        if costs.kind(ref.key) != costs.SAVING:
            continue  # only outcomes are prevented; the tool and hours are costs
        raw = query.get(f"v-{ref.key}", "")
        values[ref.key] = raw
        parsed = _count(raw)
        if parsed is None:
            errors[f"avoided-{ref.key}"] = str(
                lazy_gettext("Enter a number, for example 12 or 3,5.")
            )
        else:
            avoided[ref.key] = parsed
    calculation = rosi.inputs(snap, references, avoided, start, end)
    result = None
    if not errors and query.get("laske") is not None:
        try:
            result = calculation.result()
        except costs.NoCosts as exc:
            errors["rosi"] = str(exc.text())
    errors.update({f"cost-{k}": v for k, v in reference_errors.items()})
    context = {
        **_counted(snap),
        "s": summary,
        "references": references,
        "kinds": {r.key: costs.kind(r.key) for r in references},
        "typed_costs": typed or {},
        "avoided": values,
        "calc": calculation,
        "rosi": result,
        "errors": errors,
        "start": start,
        "end": end,
    }
    return render(request, "reports/admin/costs.html", context, status_code=422 if errors else 200)


@router.post("/kustannukset/viitekustannukset")
def save_reference_costs(
    request: Request, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    values: dict[int, int] = {}
    typed: dict[int, str] = {}
    errors: dict[int, str] = {}
    for key in form:
        reference_id = parse_id(key.removeprefix("cost-")) if key.startswith("cost-") else None
        if reference_id is None:
            continue
        typed[reference_id] = str(form.get(key) or "")
        try:
            values[reference_id] = parse_money_cents(typed[reference_id])
        except ValueError:
            errors[reference_id] = str(
                lazy_gettext("Enter an amount in euros, for example 12 000.")
            )
    if errors:
        return _cost_page(request, session, actor, errors, typed)
    costs.update_reference_costs(session, actor, values)
    return done(request, f"{BASE}/kustannukset")
