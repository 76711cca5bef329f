"""The indicator report in the structure of the Ministry of Finance form (seed 002, app. 4):
A background, B operational change, C service development (1 client, 2 professional and 3 payer
views, 4 problems: "Ongelmista kertovat asiat" is part of C); one column per half-year from a
baseline; comments per block and period;
ten core indicators computed from Hebu's data, each beside its baseline (the first half-year)
and the organiser's target value, and manual indicators kept by the admin."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, col, select

from app.errors import AppError, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.report import (
    IndicatorComment,
    IndicatorTarget,
    ManualIndicator,
    ManualIndicatorValue,
)
from app.repositories.reports import report_organiser_ids
from app.services import exports
from app.services.assessment.instruments import pick
from app.services.disclosure import Cell
from app.services.reports.data import Snapshot, log_change, save_and_log_change
from app.services.reports.measures import (
    clients_served,
    clients_with_budget,
    confirmed_first_time,
    days_to_confirmation,
    disputed,
    experience,
    experience_comparison,
    goal_attainment,
    spend,
    wellbeing_change,
    worker_minutes,
)
from app.services.reports.periods import HalfYear, half_years

# (key, label); "C11" is the form's C 1.1 and so on.
BLOCKS: tuple[tuple[str, object], ...] = (
    ("A", lazy_gettext("A. Background indicators")),
    ("B", lazy_gettext("B. Indicators of operational change")),
    ("C11", lazy_gettext("C 1.1 Client view: access to services and right targeting")),
    ("C12", lazy_gettext("C 1.2 Client view: content, quality and effectiveness")),
    ("C13", lazy_gettext("C 1.3 Client view: clients' experience of the services")),
    ("C21", lazy_gettext("C 2.1 Professional view: service structure")),
    ("C22", lazy_gettext("C 2.2 Professional view: the organiser's assessment")),
    ("C23", lazy_gettext("C 2.3 Professional view: staff")),
    ("C31", lazy_gettext("C 3.1 Payer view: net costs in total and per service")),
    ("C32", lazy_gettext("C 3.2 Payer view: clients served and volumes per service")),
    ("C33", lazy_gettext("C 3.3 Payer view: staff numbers and structure")),
    ("C4", lazy_gettext("C 4. Problems")),
)
BLOCK_KEYS = {key for key, _label in BLOCKS}
MAX_PERIODS = 8


class BadIndicatorValue(AppError):
    status_code = 422

    default_text = lazy_gettext("Enter a number, for example 12 or 3,5.")


@dataclass
class Row:
    code: str
    block: str
    label: object
    unit: str  # count | percent | days | points | tscore | minutes | cents | manual
    cells: dict[str, Cell] = field(default_factory=dict)
    sub: bool = False
    manual_id: int | None = None
    manual_unit: str = ""
    target: Decimal | None = None  # core rows: the organiser's target, in the unit shown

    @property
    def core(self) -> bool:
        return self.code in CORE_CODES


@dataclass
class Report:
    periods: list[HalfYear]
    rows: list[Row]
    comments: dict[tuple[str, str], str]

    def block_rows(self, block: str) -> list[Row]:
        return [r for r in self.rows if r.block == block]


Core = Callable[[Snapshot, HalfYear], Cell]
# fmt: off
CORE: tuple[tuple[str, str, object, str, Core], ...] = (
    ("A1", "A", lazy_gettext("Clients with a confirmed personal budget"), "count", clients_with_budget),  # noqa: E501
    ("B1", "B", lazy_gettext("Plans confirmed at the first submission"), "percent", confirmed_first_time),  # noqa: E501
    ("B2", "B", lazy_gettext("Days from the frame to the confirmed plan (median)"), "days", days_to_confirmation),  # noqa: E501
    ("C12a", "C12", lazy_gettext("Change in the clients' own wellbeing score since the start (0-10)"), "points", wellbeing_change),  # noqa: E501
    ("C12b", "C12", lazy_gettext("Goal attainment, mean GAS T-score (50 = as expected)"), "tscore", goal_attainment),  # noqa: E501
    ("C13", "C13", lazy_gettext("Client experience score, budget clients (0-10)"), "points", experience),  # noqa: E501
    ("C23", "C23", lazy_gettext("Case worker minutes per client"), "minutes", worker_minutes),  # noqa: E501
    ("C31", "C31", lazy_gettext("Net spending of the budgets"), "cents", spend),  # noqa: E501
    ("C32", "C32", lazy_gettext("Clients who received services"), "count", clients_served),  # noqa: E501
    ("C4", "C4", lazy_gettext("Disputed deliveries"), "count", disputed),  # noqa: E501
)
# fmt: on
CORE_CODES = {code for code, *_rest in CORE}


# --- periods, comments and manual indicators ------------------------------------------------


def default_baseline(snap: Snapshot, today: date) -> HalfYear:
    starts = [b.period_start for b in snap.budgets]
    return HalfYear.of(min(starts)) if starts else HalfYear.of(today)


def periods_from(baseline: HalfYear, today: date) -> list[HalfYear]:
    last = max(HalfYear.of(today), baseline)
    return half_years(baseline, last, MAX_PERIODS)


def comments_of(session: Session, organisers: set[int]) -> dict[tuple[str, str], str]:
    rows = session.exec(
        select(IndicatorComment).where(col(IndicatorComment.organiser_id).in_(organisers))
    ).all()
    return {(r.block, r.period): r.text for r in rows if r.text}


def manual_rows(session: Session, organisers: set[int], periods: list[HalfYear]) -> list[Row]:
    indicators = session.exec(
        select(ManualIndicator)
        .where(col(ManualIndicator.organiser_id).in_(organisers))
        .order_by(col(ManualIndicator.id))
    ).all()
    values = session.exec(
        select(ManualIndicatorValue).where(
            col(ManualIndicatorValue.indicator_id).in_([i.id for i in indicators])
        )
    ).all()
    by_indicator: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for v in values:
        by_indicator[v.indicator_id][v.period] = Decimal(v.value).normalize()
    rows = []
    for indicator in indicators:
        assert indicator.id is not None
        found = by_indicator.get(indicator.id, {})
        # Manual figures are the organiser's own aggregates: shown as entered.
        cells = {p.key: Cell(found.get(p.key), 5) for p in periods}
        rows.append(
            Row(
                code=f"M{indicator.id}",
                block=indicator.block,
                label=indicator.name,
                unit="manual",
                cells=cells,
                manual_id=indicator.id,
                manual_unit=indicator.unit,
            )
        )
    return rows


def build(session: Session, actor: Actor, snap: Snapshot, periods: list[HalfYear]) -> Report:
    rows: list[Row] = []
    for code, block, label, unit, compute in CORE:
        rows.append(Row(code, block, label, unit, {p.key: compute(snap, p) for p in periods}))
        if code == "C13":
            rows.append(
                Row(
                    "C13k",
                    block,
                    lazy_gettext("Client experience score, comparison group (0-10)"),
                    unit,
                    {p.key: experience_comparison(snap, p) for p in periods},
                    sub=True,
                )
            )
        if code in ("C31", "C32"):
            main = sorted(
                (c for c in snap.categories.values() if c.is_main),
                key=lambda c: (c.position, c.id or 0),
            )
            for category in main:
                fn = spend if code == "C31" else clients_served
                rows.append(
                    Row(
                        f"{code}-{category.slug}",
                        block,
                        category.name or {"fi": category.slug},
                        unit,
                        {p.key: fn(snap, p, category.id) for p in periods},
                        sub=True,
                    )
                )
    organisers = report_organiser_ids(actor)
    targets = targets_of(session, organisers)
    for row in rows:
        row.target = targets.get(row.code) if row.core else None
    rows.extend(manual_rows(session, organisers, periods))
    order = {key: n for n, (key, _l) in enumerate(BLOCKS)}
    rows.sort(key=lambda r: order[r.block])  # stable: core rows keep their order
    return Report(periods=periods, rows=rows, comments=comments_of(session, organisers))


def targets_of(session: Session, organisers: set[int]) -> dict[str, Decimal]:
    rows = session.exec(
        select(IndicatorTarget).where(col(IndicatorTarget.organiser_id).in_(organisers))
    ).all()
    return {r.code: Decimal(r.value).normalize() for r in rows}


def save_targets(session: Session, actor: Actor, values: dict[str, Decimal | None]) -> None:
    """Set (or, with None, remove) the target values of core indicators; other codes ignored."""
    organiser_id = _organiser(actor)
    existing = {
        r.code: r
        for r in session.exec(
            select(IndicatorTarget).where(IndicatorTarget.organiser_id == organiser_id)
        ).all()
    }
    changed: dict[str, str | None] = {}
    for code, value in values.items():
        row = existing.get(code)
        if code not in CORE_CODES or (row is None and value is None):
            continue
        if value is None:
            session.delete(row)
        else:
            row = row or IndicatorTarget(organiser_id=organiser_id, code=code, value=value,
                                         updated_by_id=actor.user_id)  # fmt: skip
            row.value, row.updated_by_id = value, actor.user_id
            session.add(row)
        changed[code] = None if value is None else str(value)
    session.flush()
    log_change(session, actor, "indicator_target", details={"changed": changed})


def label_text(label: object, locale: str) -> str:
    """Core labels are lazy strings; category and manual labels are per-language dicts/text."""
    if isinstance(label, dict):
        return pick(label, locale)
    return str(label)


def _organiser(actor: Actor) -> int:
    organisers = sorted(report_organiser_ids(actor))
    if not organisers:
        raise NotFound()
    return organisers[0]


def save_comment(session: Session, actor: Actor, block: str, period: str, text: str) -> None:
    if block not in BLOCK_KEYS or HalfYear.parse(period) is None:
        raise NotFound()
    organiser_id = _organiser(actor)
    row = session.exec(
        select(IndicatorComment).where(
            IndicatorComment.organiser_id == organiser_id,
            IndicatorComment.block == block,
            IndicatorComment.period == period,
        )
    ).first()
    if row is None:
        row = IndicatorComment(
            organiser_id=organiser_id, block=block, period=period, updated_by_id=actor.user_id
        )
    row.text = text
    row.updated_by_id = actor.user_id
    save_and_log_change(session, actor, row, "indicator_comment", AuditAction.update)


def add_manual(session: Session, actor: Actor, block: str, name: str, unit: str) -> ManualIndicator:
    if block not in BLOCK_KEYS:
        raise NotFound()
    indicator = ManualIndicator(
        organiser_id=_organiser(actor),
        block=block,
        name=name,
        unit=unit,
        created_by_id=actor.user_id,
    )
    save_and_log_change(session, actor, indicator, "manual_indicator", AuditAction.create)
    return indicator


def parse_value(raw: str) -> Decimal | None:
    text = raw.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise BadIndicatorValue() from exc
    if not value.is_finite() or abs(value) >= Decimal("1e13"):
        raise BadIndicatorValue()
    return value


def set_manual_values(
    session: Session, actor: Actor, indicator_id: int, values: dict[str, Decimal | None]
) -> None:
    indicator = session.get(ManualIndicator, indicator_id)
    if indicator is None or indicator.organiser_id not in report_organiser_ids(actor):
        raise NotFound()
    existing = {
        v.period: v
        for v in session.exec(
            select(ManualIndicatorValue).where(ManualIndicatorValue.indicator_id == indicator_id)
        ).all()
    }
    for period, value in values.items():
        if HalfYear.parse(period) is None:
            continue
        row = existing.get(period)
        if value is None:
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = ManualIndicatorValue(indicator_id=indicator_id, period=period, value=value)
        row.value = value
        session.add(row)
    session.flush()
    log_change(session, actor, "manual_indicator", indicator_id)


# --- downloads ------------------------------------------------------------------------------

SUPPRESSED = "<5"


def plain_value(row: Row, c: Cell) -> str | int | float | Decimal | None:
    """The figure as written in the downloads: euros for money, '<5' when suppressed."""
    if c.suppressed:
        return SUPPRESSED
    if c.value is None:
        return None
    if row.unit == "cents":
        return Decimal(int(c.value)) / 100
    return c.value


def table(report: Report, labels: Callable[[object], str]) -> list[list[object]]:
    header: list[object] = ["block", "code", "indicator", "unit"] + [p.key for p in report.periods]
    header.append("target")
    lines: list[list[object]] = [header]
    for key, block_label in BLOCKS:
        lines.append([key, "", labels(block_label), ""] + [""] * (len(report.periods) + 1))
        for row in report.block_rows(key):
            unit = (
                row.manual_unit
                if row.unit == "manual"
                else ("eur" if row.unit == "cents" else row.unit)
            )
            lines.append(
                [key, row.code, labels(row.label), unit]
                + [plain_value(row, row.cells[p.key]) for p in report.periods]
                + [row.target]
            )
        notes = [report.comments.get((key, p.key), "") for p in report.periods]
        if any(notes):
            lines.append([key, "comment", "", ""] + notes + [""])
    return lines


def to_csv(lines: list[list[object]]) -> str:
    return exports.to_csv(lines, delimiter=";")


def to_xlsx(lines: list[list[object]]) -> bytes:
    return exports.to_xlsx(lines, "Indicators")
