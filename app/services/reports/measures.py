"""The core indicators as pure functions of a report snapshot and a half-year.

Each returns a disclosure `Cell`, so figures from fewer than five clients are never shown.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

from app.models.budget import PlanAction
from app.models.ledger import DeliveryStatus
from app.services import disclosure
from app.services.disclosure import Cell, cell, count
from app.services.reports.data import Snapshot
from app.services.reports.periods import HalfYear
from app.services.stats import median


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _in(moment: datetime, period: HalfYear) -> bool:
    return _at(period.start) <= _aware(moment) < _at(period.end)


# --- the ten core indicators ----------------------------------------------------------------


def clients_with_budget(snap: Snapshot, p: HalfYear) -> Cell:
    """A1: clients whose confirmed budget was in force during the period."""
    confirmed_budgets = {
        e.budget_id
        for e in snap.events
        if e.action == PlanAction.confirmed and _aware(e.occurred_at) < _at(p.end)
    }
    clients = {
        b.client_id
        for b in snap.budgets
        if b.id in confirmed_budgets and b.period_start < p.end and b.period_end >= p.start
    }
    return count(len(clients))


def _first_decisions(snap: Snapshot) -> dict[int, tuple[PlanAction, datetime]]:
    first: dict[int, tuple[PlanAction, datetime]] = {}
    for e in snap.events:
        if e.action in (PlanAction.confirmed, PlanAction.returned) and e.budget_id not in first:
            first[e.budget_id] = (e.action, _aware(e.occurred_at))
    return first


def confirmed_first_time(snap: Snapshot, p: HalfYear) -> Cell:
    """B1: of the plans first decided in the period, the share confirmed at once (%)."""
    owner = snap.budget_client()
    decided = [
        (owner[b], action)
        for b, (action, at) in _first_decisions(snap).items()
        if _in(at, p) and b in owner
    ]
    clients = {c for c, _a in decided}
    if not decided:
        return cell(None, 0)
    share = Decimal(100 * sum(1 for _c, a in decided if a == PlanAction.confirmed)) / len(decided)
    return cell(share.quantize(Decimal("0.1")), len(clients))


def days_to_confirmation(snap: Snapshot, p: HalfYear) -> Cell:
    """B2: median days from the first frame to the first confirmation (confirmed in period)."""
    frames: dict[int, datetime] = {}
    confirmed: dict[int, datetime] = {}
    for e in snap.events:
        target = frames if e.action == PlanAction.frame_set else confirmed
        if e.action in (PlanAction.frame_set, PlanAction.confirmed):
            target.setdefault(e.budget_id, _aware(e.occurred_at))
    days = [
        (confirmed[b] - frames[b]).days for b in confirmed if b in frames and _in(confirmed[b], p)
    ]
    value = median(days)
    return cell(Decimal(str(value)) if value is not None else None, len(days))


def wellbeing_change(snap: Snapshot, p: HalfYear) -> Cell:
    """C1.2a: mean change of the life-situation score (0-10) from each client's first
    assessment to their latest one sent in the period (clients with two or more)."""
    by_client: dict[int, list] = defaultdict(list)
    for s in snap.life:
        if s.client_id in snap.clients and not snap.clients[s.client_id].comparison:
            by_client[s.client_id].append(s)
    changes = []
    for rows in by_client.values():
        in_period = [s for s in rows if _in(s.at, p)]
        if len(rows) >= 2 and in_period and in_period[-1] is not rows[0]:
            changes.append(in_period[-1].score - rows[0].score)
    return disclosure.mean(changes)


def goal_attainment(snap: Snapshot, p: HalfYear) -> Cell:
    """C1.2b: mean GAS T-score at the period end over budget clients with a check-in in it."""
    active = {
        g.client_id
        for g in snap.goals
        for e in snap.check_ins.get(g.id or 0, [])
        if _in(e.recorded_at, p)
        and g.client_id in snap.clients
        and not snap.clients[g.client_id].comparison
    }
    scores = [t for c in sorted(active) if (t := snap.t_score(c, _at(p.end))) is not None]
    return disclosure.mean(scores)


def _experience(snap: Snapshot, p: HalfYear, comparison: bool) -> Cell:
    latest: dict[int, float] = {}
    for s in snap.experience:
        info = snap.clients.get(s.client_id)
        if info is not None and info.comparison == comparison and _in(s.at, p):
            latest[s.client_id] = s.score
    return disclosure.mean(list(latest.values()))


def experience(snap: Snapshot, p: HalfYear) -> Cell:
    """C1.3: mean client experience score (0-10), budget clients, latest survey per client."""
    return _experience(snap, p, comparison=False)


def experience_comparison(snap: Snapshot, p: HalfYear) -> Cell:
    return _experience(snap, p, comparison=True)


def worker_minutes(snap: Snapshot, p: HalfYear) -> Cell:
    """C2.3: the case workers' recorded minutes per client in the period."""
    minutes: dict[int, int] = defaultdict(int)
    for t in snap.time:
        if t.role == "worker" and p.start <= t.spent_on < p.end:
            minutes[t.client_id] += t.minutes
    if not minutes:
        return cell(None, 0)
    per_client = Decimal(sum(minutes.values())) / len(minutes)
    return cell(per_client.quantize(Decimal("1")), len(minutes))


def _confirmed(snap: Snapshot, p: HalfYear, category: int | None = None) -> list:
    rows = snap.confirmed_between(p.start, p.end)
    if category is None:
        return list(rows)
    return [d for d in rows if snap.main_category(d.category_id) == category]


def spend(snap: Snapshot, p: HalfYear, category: int | None = None) -> Cell:
    """C3.1: the budgets' net spending (confirmed deliveries, cents) in the period."""
    rows = _confirmed(snap, p, category)
    return cell(sum(d.budget_cents for d in rows), len({d.client_id for d in rows}))


def clients_served(snap: Snapshot, p: HalfYear, category: int | None = None) -> Cell:
    """C3.2: clients who received at least one confirmed delivery in the period."""
    return count(len({d.client_id for d in _confirmed(snap, p, category)}))


def disputed(snap: Snapshot, p: HalfYear) -> Cell:
    """C 4: deliveries the clients disputed in the period (shown when ≥ 5 clients disputed)."""
    rows = [
        d
        for d in snap.deliveries
        if d.status == DeliveryStatus.disputed and p.start <= d.delivered_on < p.end
    ]
    return cell(len(rows), len({d.client_id for d in rows}))
