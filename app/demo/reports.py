"""Demo data for the organiser's reports: a SYNTHETIC cohort of clients with plausible
trajectories (budgets, plans, confirmed deliveries, self-assessments, goals, the experience
survey, time entries) and a comparison group, so the reports show figures instead of "<5".

Everyone here is made up: names start with "Synteettinen" and e-mail addresses end in
"@synthetic.hebu.invalid"; they have no login. Deterministic (fixed seed) and idempotent.
Rows are inserted directly (no audit events: nothing real happened).
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from app.models.assessment import Assessment, AssessmentStatus
from app.models.budget import (
    Budget,
    ExperimentArm,
    FrameVersion,
    OrderStatus,
    PlanAction,
    PlanEvent,
    PlanLine,
    PlanStatus,
    PlanVersion,
)
from app.models.goal import Goal, GoalCheckIn
from app.models.ledger import Delivery, DeliveryStatus, EntryKind, LedgerEntry
from app.models.offer import Offer, OfferStatus
from app.models.organiser import Organiser
from app.models.report import ComparisonMember, TimeEntry, TimeRole, TimeTask
from app.models.user import Membership, Role, User

MARKER = "@synthetic.hebu.invalid"
COHORT = 60
COMPARISON = 12
GROUPS = {"disability": 0.6, "family-carer": 0.3, "mental-health": 0.9}  # yearly gain (0-10)
DOMAINS = ("general", "participation", "mental", "everyday", "skills", "physical", "future")
EXPERIENCE = ("heard", "trust", "information", "fit", "choice", "usefulness", "overall")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _clip(value: float) -> float:
    return round(min(10.0, max(0.0, value)), 1)


def load_report_cohort(session: Session, today: date | None = None) -> None:
    if session.exec(select(User.id).where(col(User.email).like(f"%{MARKER}"))).first():
        return
    organiser = session.exec(select(Organiser).order_by(col(Organiser.id))).first()
    if organiser is None:
        return
    offers = session.exec(
        select(Offer).where(Offer.status == OfferStatus.published).order_by(col(Offer.id))
    ).all()
    municipalities = sorted(
        {
            m
            for m in session.exec(
                select(Membership.municipality_code).where(
                    Membership.organiser_id == organiser.id, Membership.role == Role.client
                )
            ).all()
            if m
        }
        | {"179", "182", "249", "410", "992"}
    )
    by_provider: dict[int, Offer] = {}
    for offer in offers:
        by_provider.setdefault(offer.provider_id, offer)
    offers = list(by_provider.values())[:8]
    if not offers:
        return
    today = today or date.today()
    rng = random.Random(20261126)
    rows: dict[type, list[dict[str, Any]]] = defaultdict(list)
    worker = User(display_name="Synteettinen työntekijä", email=f"worker{MARKER}", locale="fi")
    session.add(worker)
    session.flush()
    session.add(Membership(user_id=worker.id, role=Role.case_worker, organiser_id=organiser.id))
    people: list[tuple[User, str, bool]] = []
    for n in range(1, COHORT + COMPARISON + 1):
        comparison = n > COHORT
        group = rng.choice(list(GROUPS))
        user = User(
            display_name=f"Synteettinen asiakas {n:03d}",
            email=f"client{n:03d}{MARKER}",
            locale="fi",
        )
        session.add(user)
        people.append((user, group, comparison))
    session.flush()
    for user, group, _comparison in people:
        session.add(
            Membership(
                user_id=user.id,
                role=Role.client,
                organiser_id=organiser.id,
                case_worker_id=worker.id,
                municipality_code=rng.choice(municipalities),
                client_group=group,
            )
        )
    budgets: list[tuple[Budget, User, str, date]] = []
    for user, group, comparison in people:
        if comparison:
            session.add(
                ComparisonMember(client_id=user.id, organiser_id=organiser.id, set_by_id=worker.id)
            )
            continue
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 450))
        if start > today - timedelta(days=60):
            start = today - timedelta(days=60)
        frame = rng.randrange(40, 160) * 100_00
        budget = Budget(
            client_id=user.id,  # type: ignore[arg-type]
            organiser_id=organiser.id,  # type: ignore[arg-type]
            period_start=start,
            period_end=start + timedelta(days=364),
            arm=rng.choice([ExperimentArm.a, ExperimentArm.b]),
            frame_cents=frame,
            frame_version=1,
        )
        session.add(budget)
        budgets.append((budget, user, group, start))
    session.flush()
    plans: list[tuple[PlanVersion, Budget, User, date]] = []
    for budget, user, _group, start in budgets:
        framed = start - timedelta(days=rng.randrange(20, 40))
        confirmed = framed + timedelta(days=rng.randrange(8, 60))
        returned_first = rng.random() < 0.3
        _row(
            rows,
            FrameVersion,
            dict(
                budget_id=budget.id,  # type: ignore[arg-type]
                version=1,
                frame_cents=budget.frame_cents,
                reason="Synteettinen",
                changed_by_id=worker.id,  # type: ignore[arg-type]
            ),
        )
        events = [(PlanAction.frame_set, framed, worker.id)]
        if returned_first:
            events.append((PlanAction.returned, confirmed - timedelta(days=5), worker.id))
        events.append((PlanAction.confirmed, confirmed, worker.id))
        for action, day, actor in events:
            _row(
                rows,
                PlanEvent,
                dict(
                    budget_id=budget.id,  # type: ignore[arg-type]
                    action=action,
                    actor_id=actor,  # type: ignore[arg-type]
                    occurred_at=_at(day),
                ),
            )
        version = PlanVersion(
            budget_id=budget.id,  # type: ignore[arg-type]
            number=1,
            status=PlanStatus.confirmed,
            submitted_at=_at(confirmed - timedelta(days=3)),
            decided_at=_at(confirmed),
            decided_by_id=worker.id,
        )
        session.add(version)
        plans.append((version, budget, user, confirmed))
        _row(
            rows,
            LedgerEntry,
            dict(
                budget_id=budget.id,  # type: ignore[arg-type]
                kind=EntryKind.allocation,
                amount_cents=budget.frame_cents,
                idempotency_key=f"synthetic-allocation-{budget.id}",
                posted_at=_at(framed),
            ),
        )
    session.flush()
    lines: list[tuple[PlanLine, Budget, date]] = []
    for version, budget, _user, confirmed in plans:
        remaining = budget.frame_cents
        for offer in rng.sample(list(offers), k=min(2, len(offers))):
            repeats = max(1, min(50, remaining // 2 // max(offer.unit_price_cents, 1)))
            cost = offer.unit_price_cents * repeats
            if cost <= 0 or cost > remaining:
                continue
            remaining -= cost
            line = PlanLine(
                plan_version_id=version.id,  # type: ignore[arg-type]
                line_key=uuid.uuid4().hex[:12],
                offer_id=offer.id,  # type: ignore[arg-type]
                provider_id=offer.provider_id,
                category_id=offer.category_id,
                title=offer.title,
                unit=str(offer.unit),
                unit_price_cents=offer.unit_price_cents,
                quantity=1,
                repeats=repeats,
                cost_cents=cost,
                order_status=OrderStatus.accepted,
            )
            session.add(line)
            lines.append((line, budget, confirmed))
    session.flush()
    deliveries: list[tuple[Delivery, Budget, PlanLine]] = []
    for line, budget, confirmed in lines:
        day = confirmed + timedelta(days=14)
        used = 0
        while (
            day < min(today, budget.period_end) and used + line.unit_price_cents <= line.cost_cents
        ):
            units = min(rng.randrange(2, 7), (line.cost_cents - used) // line.unit_price_cents)
            if units <= 0:
                break
            amount = units * line.unit_price_cents
            used += amount
            disputed = rng.random() < 0.03
            delivery = Delivery(
                budget_id=budget.id,  # type: ignore[arg-type]
                plan_line_id=line.id,  # type: ignore[arg-type]
                provider_id=line.provider_id,
                delivered_on=day,
                units=units,
                amount_cents=amount,
                status=DeliveryStatus.disputed if disputed else DeliveryStatus.confirmed,
                reported_by_id=worker.id,  # type: ignore[arg-type]
                budget_cents=0 if disputed else amount,
                dispute_reason="Synteettinen" if disputed else "",
            )
            session.add(delivery)
            deliveries.append((delivery, budget, line))
            day += timedelta(days=rng.randrange(60, 100))
    session.flush()
    for delivery, budget, line in deliveries:
        if delivery.status == DeliveryStatus.confirmed:
            _row(
                rows,
                LedgerEntry,
                dict(
                    budget_id=budget.id,  # type: ignore[arg-type]
                    kind=EntryKind.delivery_debit,
                    amount_cents=-delivery.budget_cents,
                    idempotency_key=f"synthetic-delivery-{delivery.id}",
                    delivery_id=delivery.id,
                    line_key=line.line_key,
                    category_id=line.category_id,
                    posted_at=_at(delivery.delivered_on),
                ),
            )
    starts = {user.id: start for _b, user, _g, start in budgets}
    goals: list[tuple[Goal, date, float]] = []
    for user, group, comparison in people:
        assert user.id is not None
        start = starts.get(user.id) or date(2025, 3, 1) + timedelta(days=rng.randrange(0, 300))
        gain = 0.2 if comparison else GROUPS[group]
        base = {d: _clip(rng.gauss(4.5, 1.5)) for d in DOMAINS}
        for step, months in enumerate((0, 6, 12)):
            day = start + timedelta(days=30 * months + rng.randrange(0, 10))
            if day > today:
                break
            scores = {d: _clip(v + gain * step + rng.gauss(0, 0.7)) for d, v in base.items()}
            _row(rows, Assessment, _assessment(user.id, "life-situation", scores, day))
        survey_day = start + timedelta(days=330)
        if survey_day <= today:
            level = 7.2 if not comparison else 6.0
            scores = {d: _clip(rng.gauss(level, 1.3)) for d in EXPERIENCE}
            if comparison:
                scores["usefulness"] = None  # type: ignore[assignment]
            _row(rows, Assessment, _assessment(user.id, "experience", scores, survey_day))
        if comparison:
            continue
        for _ in range(2):
            goal = Goal(
                client_id=user.id,
                what="Synteettinen tavoite",
                baseline_level=-1,
                target_level=0,
                created_at=_at(start),
                created_by_id=worker.id,
            )
            session.add(goal)
            goals.append((goal, start, gain))
        for task, minutes, role in (
            (TimeTask.planning, rng.randrange(40, 120), TimeRole.worker),
            (TimeTask.meeting, rng.randrange(30, 90), TimeRole.worker),
            (TimeTask.meeting, rng.randrange(30, 90), TimeRole.client),
            (TimeTask.planning, rng.randrange(20, 90), TimeRole.assistant),
        ):
            _row(
                rows,
                TimeEntry,
                dict(
                    client_id=user.id,
                    organiser_id=organiser.id,  # type: ignore[arg-type]
                    role=role,
                    task=task,
                    minutes=minutes,
                    spent_on=start + timedelta(days=rng.randrange(0, 60)),
                    recorded_by_id=worker.id,  # type: ignore[arg-type]
                ),
            )
    session.flush()
    for goal, start, gain in goals:
        level = -1
        for months in (3, 6, 9):
            day = start + timedelta(days=30 * months)
            if day > today:
                break
            level = max(-2, min(2, level + rng.choice([-1, 0, 1, 1, 1 if gain > 0.5 else 0])))
            _row(rows, GoalCheckIn, dict(goal_id=goal.id, level=level, recorded_at=_at(day)))
    for model, batch in rows.items():
        session.execute(insert(model), batch)  # plain inserts: thousands of leaf rows, fast
    session.flush()


def _row(rows: dict[type, list[dict[str, Any]]], model: type, values: dict[str, Any]) -> None:
    """A row for a plain INSERT, with the model's defaults filled in (no model instance)."""
    rows[model].append({**_defaults(model), **values})


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _defaults(model: Any) -> dict[str, Any]:
    if model not in _DEFAULTS:
        _DEFAULTS[model] = {
            name: field.get_default(call_default_factory=True)
            for name, field in model.model_fields.items()
            if name != "id" and not field.is_required()
        }
    return {**_DEFAULTS[model], "created_at": datetime.now(UTC), "updated_at": datetime.now(UTC)}


def _assessment(client_id: int, key: str, scores: dict, day: date) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "instrument_key": key,
        "instrument_version": 1,
        "status": AssessmentStatus.submitted,
        "answers": {},
        "skipped": [],
        "scores": scores,
        "with_assistant": False,
        "submitted_at": _at(day),
    }
