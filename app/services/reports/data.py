"""One read of everything the organiser's evaluation reports need, scoped to the admin's
organisers *and* to the clients whose research consent is in force now (`scope.population`):
every query below filters on the population's ids, so no report module can count a client
who withdrew. The report modules compute from this snapshot (plain data, easy to test)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.assessment import Assessment, AssessmentStatus
from app.models.audit import AuditAction, AuditPurpose
from app.models.budget import Budget, PlanAction, PlanEvent, PlanLine
from app.models.goal import Goal, GoalCheckIn
from app.models.ledger import Delivery, DeliveryStatus
from app.models.organiser import Category
from app.models.provider import Provider
from app.models.report import ComparisonMember, TimeEntry
from app.models.user import Membership
from app.repositories.reports import report_clients, report_organiser_ids
from app.repositories.scope import organiser_clients
from app.services import audit
from app.services.assessment import gas
from app.services.assessment.goals import SCORED
from app.services.research import scope

CONFIRMED_DELIVERY = (DeliveryStatus.confirmed, DeliveryStatus.auto_accepted)


def overall(scores: dict[str, Any] | None) -> float | None:
    """The mean of an assessment's domain scores (0-10), None when nothing was scored."""
    values = [float(v) for v in (scores or {}).values() if v is not None]
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class ClientInfo:
    id: int
    municipality: str | None
    group: str | None
    comparison: bool


@dataclass(frozen=True)
class Scored:
    client_id: int
    at: datetime
    score: float


@dataclass(frozen=True)
class DeliveryRow:
    client_id: int
    provider_id: int
    category_id: int
    delivered_on: date
    units: int
    budget_cents: int
    status: DeliveryStatus


@dataclass
class Snapshot:
    organiser_ids: set[int]
    counted: int = 0  # clients with research consent in force (n) ...
    eligible: int = 0  # ... of the organisers' clients (N)
    clients: dict[int, ClientInfo] = field(default_factory=dict)
    budgets: list[Budget] = field(default_factory=list)
    events: list[PlanEvent] = field(default_factory=list)
    deliveries: list[DeliveryRow] = field(default_factory=list)
    life: list[Scored] = field(default_factory=list)  # life-situation overall scores
    experience: list[Scored] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    check_ins: dict[int, list[GoalCheckIn]] = field(default_factory=dict)
    time: list[TimeEntry] = field(default_factory=list)
    categories: dict[int, Category] = field(default_factory=dict)
    providers: dict[int, Provider] = field(default_factory=dict)
    _goals_by_client: dict[int, list[Goal]] = field(default_factory=dict, repr=False)
    _goals_indexed: int = field(default=-1, repr=False)
    _confirmed: dict[tuple[date, date, int], list[DeliveryRow]] = field(
        default_factory=dict, repr=False
    )

    def budget_client(self) -> dict[int, int]:
        return {b.id: b.client_id for b in self.budgets if b.id is not None}

    def main_category(self, category_id: int) -> int:
        category = self.categories.get(category_id)
        if category is not None and not category.is_main and category.parent_id is not None:
            return category.parent_id
        return category_id

    def goals_of(self, client_id: int) -> list[Goal]:
        """The client's goals, in the snapshot's order (indexed once: a report asks for every
        client's T-score, and scanning all goals for each is quadratic in the cohort)."""
        if self._goals_indexed != len(self.goals):
            self._goals_by_client = defaultdict(list)
            for goal in self.goals:
                self._goals_by_client[goal.client_id].append(goal)
            self._goals_indexed = len(self.goals)
        return self._goals_by_client.get(client_id, [])

    def confirmed_between(self, start: date, end: date) -> list[DeliveryRow]:
        """Confirmed deliveries delivered in [start, end): found once per period (a report
        asks for each period's spending per category, over every delivery)."""
        key = (start, end, len(self.deliveries))
        found = self._confirmed.get(key)
        if found is None:
            found = [
                d
                for d in self.deliveries
                if d.status in CONFIRMED_DELIVERY and start <= d.delivered_on < end
            ]
            self._confirmed[key] = found
        return found

    def t_score(self, client_id: int, at: datetime | None = None) -> float | None:
        """A client's GAS T-score from the levels recorded up to `at` (None without goals)."""
        scored = [
            g
            for g in self.goals_of(client_id)
            if g.status in SCORED and (at is None or _aware(g.created_at) < at)
        ]
        if not scored:
            return None
        levels = []
        for goal in scored:
            entries = [
                e
                for e in self.check_ins.get(goal.id or 0, [])
                if at is None or _aware(e.recorded_at) < at
            ]
            levels.append(entries[-1].level if entries else goal.baseline_level)
        return gas.t_score(levels, [g.weight for g in scored])


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def log_view(session: Session, actor: Actor, report: str, fmt: str) -> None:
    """Every report view and download is audit-logged. `export` is used also for HTML views:
    audit.record skips reads whose subject is the actor, and a report has no single subject."""
    audit.record(
        session,
        actor,
        AuditAction.export,
        "report",
        record_type=report,
        purpose=AuditPurpose.report,
        details={"format": fmt},
    )


def log_change(
    session: Session,
    actor: Actor,
    record_type: str,
    record_id: int | None = None,
    *,
    action: AuditAction = AuditAction.update,
    details: dict[str, object] | None = None,
) -> None:
    """An administrator's change to a report's own data (comments, manual figures, costs)."""
    audit.record(
        session,
        actor,
        action,
        "report",
        record_type=record_type,
        record_id=record_id,
        purpose=AuditPurpose.admin,
        details=details,
    )


def save_and_log_change(
    session: Session, actor: Actor, row: audit.StoredRow, record_type: str, action: AuditAction
) -> None:
    """Save one row of a report's own data and log it as `log_change` does."""
    audit.record_saved(
        session, actor, action, "report", row, record_type, purpose=AuditPurpose.admin
    )


def load(session: Session, actor: Actor, report: str, fmt: str = "html") -> Snapshot:
    """Read the snapshot for one research report view (a key of scope.RESEARCH_REPORTS); the
    view is audit-logged (purpose: report)."""
    organisers = report_organiser_ids(actor)
    counted = scope.population(session, report, organiser_clients(actor))
    ids = counted.ids
    snap = Snapshot(organiser_ids=organisers, counted=counted.n, eligible=counted.total)
    comparison = set(
        session.exec(
            select(ComparisonMember.client_id).where(
                col(ComparisonMember.organiser_id).in_(organisers),
                col(ComparisonMember.client_id).in_(ids),
            )
        ).all()
    )
    for user_id, municipality, group in session.exec(
        report_clients(actor).where(col(Membership.user_id).in_(ids))
    ).all():
        snap.clients[user_id] = ClientInfo(user_id, municipality, group, user_id in comparison)
    snap.budgets = list(
        session.exec(
            select(Budget).where(
                col(Budget.organiser_id).in_(organisers), col(Budget.client_id).in_(ids)
            )
        ).all()
    )
    budget_ids = [b.id for b in snap.budgets]
    snap.events = list(
        session.exec(
            select(PlanEvent)
            .where(
                col(PlanEvent.budget_id).in_(budget_ids),
                col(PlanEvent.action).in_(
                    [PlanAction.frame_set, PlanAction.confirmed, PlanAction.returned]
                ),
            )
            .order_by(col(PlanEvent.occurred_at), col(PlanEvent.id))
        ).all()
    )
    owner = snap.budget_client()
    # Columns, not objects: a large cohort has hundreds of thousands of deliveries.
    for budget_id, provider_id, category_id, delivered_on, units, cents, status in session.exec(
        select(
            Delivery.budget_id,
            Delivery.provider_id,
            PlanLine.category_id,
            Delivery.delivered_on,
            Delivery.units,
            Delivery.budget_cents,
            Delivery.status,
        )
        .join(PlanLine, col(PlanLine.id) == Delivery.plan_line_id)
        .where(col(Delivery.budget_id).in_(budget_ids))
    ).all():
        snap.deliveries.append(
            DeliveryRow(
                client_id=owner[budget_id],
                provider_id=provider_id,
                category_id=category_id,
                delivered_on=delivered_on,
                units=units,
                budget_cents=cents,
                status=DeliveryStatus(status),
            )
        )
    for a in session.exec(
        select(Assessment)
        .where(
            col(Assessment.client_id).in_(ids),
            col(Assessment.instrument_key).in_(["life-situation", "experience"]),
            Assessment.status == AssessmentStatus.submitted,
        )
        .order_by(col(Assessment.submitted_at), col(Assessment.id))
    ).all():
        score = overall(a.scores)
        if score is None or a.submitted_at is None:
            continue
        target = snap.life if a.instrument_key == "life-situation" else snap.experience
        target.append(Scored(a.client_id, _aware(a.submitted_at), score))
    snap.goals = list(session.exec(select(Goal).where(col(Goal.client_id).in_(ids))).all())
    entries: dict[int, list[GoalCheckIn]] = defaultdict(list)
    for entry in session.exec(
        select(GoalCheckIn)
        .where(col(GoalCheckIn.goal_id).in_([g.id for g in snap.goals]))
        .order_by(col(GoalCheckIn.recorded_at), col(GoalCheckIn.id))
    ).all():
        entries[entry.goal_id].append(entry)
    snap.check_ins = dict(entries)
    snap.time = list(
        session.exec(
            select(TimeEntry).where(
                col(TimeEntry.organiser_id).in_(organisers), col(TimeEntry.client_id).in_(ids)
            )
        ).all()
    )
    snap.categories = {
        c.id: c
        for c in session.exec(
            select(Category).where(col(Category.organiser_id).in_(organisers))
        ).all()
        if c.id is not None
    }
    provider_ids = {d.provider_id for d in snap.deliveries}
    snap.providers = {
        p.id: p
        for p in session.exec(select(Provider).where(col(Provider.id).in_(provider_ids))).all()
        if p.id is not None
    }
    log_view(session, actor, report, fmt)
    return snap
