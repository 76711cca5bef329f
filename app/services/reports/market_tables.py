"""The market views as rows for the CSV and XLSX downloads (written by `services/exports.py`).
Column names are stable keys, as in the indicator export; a hidden cell is "<5"; euros are
Decimals (cents / 100); names are in the reader's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.i18n import localized
from app.services.disclosure import Cell
from app.services.reports import need_supply, spending, value_for_money

HIDDEN = "<5"


def _value(c: Cell, euros: bool = False) -> object:
    if c.suppressed:
        return HIDDEN
    if c.value is None:
        return None
    return Decimal(int(c.value)) / 100 if euros else c.value


def _with_n(c: Cell) -> list[object]:
    """The value, its interval and its n."""
    return [_value(c), *_bounds(c), HIDDEN if c.suppressed else c.n]


def _bounds(c: Cell) -> list[object]:
    if c.suppressed:
        return [None, None]
    return [c.low, c.high]


def _name(texts: dict[str, Any] | None, locale: str) -> str:
    return localized(texts, locale)[0]


def _euros(cents: int | None) -> object:
    return None if cents is None else Decimal(cents) / 100


def need_rows(report: need_supply.Report, locale: str) -> list[list[object]]:
    lines: list[list[object]] = [
        ["category", "municipality", "clients_in_need", "of_them_fi", "of_them_sv",
         "of_them_en", "offers", "providers", "languages", "delivery_modes",
         "price_low_eur", "price_median_eur", "price_high_eur", "gap"],
    ]  # fmt: skip
    gaps = {(g.category_id, g.municipality): g for g in report.gaps}
    for r in report.rows:
        gap = gaps.get((r.category_id, r.municipality))
        lines.append(
            [
                _name(report.categories.get(r.category_id), locale),
                _name(report.municipalities.get(r.municipality), locale) or r.municipality,
                _value(r.need),
                *(_value(r.need_by_language[lang]) for lang in need_supply.LANGUAGES),
                r.offers,
                r.providers,
                " ".join(r.languages),
                " ".join(r.modes),
                _euros(r.price_low),
                _euros(r.price_median),
                _euros(r.price_high),
                "" if gap is None else (gap.language or "all"),
            ]
        )
    return lines


def value_rows(report: value_for_money.Report, locale: str) -> list[list[object]]:
    lines: list[list[object]] = [
        ["category", "median_unit_price_eur", "offers", "clients", "wellbeing_change",
         "wellbeing_low", "wellbeing_high", "wellbeing_n", "t_score", "t_low", "t_high", "t_n",
         "effect_rating", "effect_low", "effect_high", "effect_n", "mean_spent_eur",
         "change_per_1000_eur", "per_1000_low", "per_1000_high"],
    ]  # fmt: skip
    for r in report.rows:
        e = r.evidence
        lines.append(
            [
                _name(r.name, locale),
                _euros(r.price_cents),
                r.offers,
                _value(e.clients),
                *_with_n(e.wellbeing),
                *_with_n(e.goals),
                *_with_n(e.effect),
                _value(r.spent, euros=True),
                _value(r.per_thousand), *_bounds(r.per_thousand),
            ]
        )  # fmt: skip
    return lines


def spending_rows(
    report: spending.Report, locale: str, labels: dict[str, str]
) -> list[list[object]]:
    """Frames against spending, then spending by each dimension (one row per key and period);
    `labels` names the client groups and arms in the reader's language."""
    lines: list[list[object]] = [
        ["table", "period", "key", "clients", "frames_eur", "spent_eur", "used_percent"]
    ]
    for f in report.frames:
        lines.append(
            ["frames", f.period, f.arm, _value(f.budgets), _value(f.frame_cents, euros=True),
             _value(f.spent_cents, euros=True), _value(f.used_percent)]
        )  # fmt: skip
    for dimension, table in report.spending.items():
        for key, by_period in sorted(table.items()):
            name = (
                _name(report.categories.get(key), locale)
                if dimension == "category"
                else labels.get(key, key)
            )
            for period, fig in sorted(by_period.items()):
                lines.append(
                    [dimension, period, name, _value(fig.clients), None,
                     _value(fig.cents, euros=True), None]
                )  # fmt: skip
    return lines
