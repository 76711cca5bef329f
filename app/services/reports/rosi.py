"""ROSI from recorded data (seed 004): (savings from interventions − intervention costs) /
intervention costs, for one period.

Intervention costs are what Hebu records, never a typed total:
- the realised budget spending: confirmed deliveries in the period (integer cents, the ledger);
- the time used: the minutes recorded per role × that role's hourly reference cost;
- the self-assessment tool: the tool's cost per client and year × the budget clients who
  filled a life-situation self-assessment in the period × the period's length in years.
Savings are the client-years of costly outcomes the organiser estimates the services
prevented × each outcome's yearly reference cost. Comparison-group clients are not part of
the intervention. Every input comes from the consent-scoped snapshot (`reports/data.py`).
Money stays in integer cents (rounded half up once per line); ROSI is a Decimal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.models.report import ReferenceCost, TimeRole
from app.services.reports.costs import HOURLY_KEYS, SAVING, TOOL_KEY, kind, rosi, savings
from app.services.reports.data import CONFIRMED_DELIVERY, Snapshot

DAYS_IN_YEAR = Decimal(365)


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class TimeCost:
    role: TimeRole
    minutes: int
    hourly_cents: int
    cents: int


@dataclass(frozen=True)
class Saving:
    cost: ReferenceCost
    client_years: Decimal
    cents: int


@dataclass(frozen=True)
class Inputs:
    start: date
    end: date  # exclusive
    spend_cents: int
    time: list[TimeCost]
    tool_clients: int
    tool_yearly_cents: int
    years: Decimal  # the period's length in years
    tool_cents: int
    savings: list[Saving]

    @property
    def intervention_cents(self) -> int:
        return self.spend_cents + sum(t.cents for t in self.time) + self.tool_cents

    @property
    def savings_cents(self) -> int:
        return sum(s.cents for s in self.savings)

    def result(self) -> Decimal:
        """ROSI; raises costs.NoCosts when there are no intervention costs."""
        return rosi(self.savings_cents, self.intervention_cents)


def _intervention_clients(snap: Snapshot) -> set[int]:
    return {c.id for c in snap.clients.values() if not c.comparison}


def inputs(
    snap: Snapshot,
    references: list[ReferenceCost],
    avoided: dict[str, Decimal],
    start: date,
    end: date,
) -> Inputs:
    clients = _intervention_clients(snap)
    by_key = {r.key: r.yearly_cents for r in references}
    spend = sum(
        d.budget_cents
        for d in snap.deliveries
        if d.status in CONFIRMED_DELIVERY
        and start <= d.delivered_on < end
        and d.client_id in clients
    )
    minutes: dict[TimeRole, int] = defaultdict(int)
    for t in snap.time:
        if t.client_id in clients and start <= t.spent_on < end:
            minutes[TimeRole(t.role)] += t.minutes
    time = []
    for role in TimeRole:
        hourly = by_key.get(HOURLY_KEYS[role], 0)
        cents = _cents(Decimal(minutes[role] * hourly) / 60)
        time.append(TimeCost(role, minutes[role], hourly, cents))
    assessed = {
        s.client_id for s in snap.life if s.client_id in clients and start <= s.at.date() < end
    }
    years = Decimal((end - start).days) / DAYS_IN_YEAR
    tool_yearly = by_key.get(TOOL_KEY, 0)
    tool = _cents(len(assessed) * tool_yearly * years)
    saved = [
        Saving(r, avoided.get(r.key, Decimal(0)), savings([r], avoided))
        for r in references
        if kind(r.key) == SAVING
    ]
    return Inputs(start, end, spend, time, len(assessed), tool_yearly, years, tool, saved)
