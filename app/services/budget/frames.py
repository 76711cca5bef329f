"""Budget frames and the queries shared by the plan, ledger and balance services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.errors import Invalid, NotFound
from app.i18n import format_money, lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.budget import (
    Budget,
    ExperimentArm,
    FrameVersion,
    PlanAction,
    PlanEvent,
    PlanLine,
    PlanStatus,
    PlanVersion,
)
from app.models.ledger import Delivery, DeliveryStatus
from app.models.organiser import Category, Organiser
from app.models.user import User
from app.repositories.budget import newest_first, readable_budgets, readable_caseload_budgets
from app.repositories.identity import readable_caseload_clients
from app.services import audit
from app.services.budget import arithmetic
from app.services.identity.mandates import in_caseload
from app.services.notifications import events
from app.services.research import experiment

T = TypeVar("T", bound=SQLModel)


class InvalidShares(Invalid):
    default_text = lazy_gettext("The category shares must together be at most 100 %.")


class FrameBelowUsed(Invalid):
    """A frame lower than what its budget has paid plus what is reported and not decided."""

    default_text = lazy_gettext(
        "The frame cannot be %(frame)s: %(spent)s has already been paid from this budget and "
        "deliveries of %(pending)s are waiting for the client's confirmation, %(used)s in all. "
        "The frame must be at least %(used)s."
    )

    def text(self) -> str:
        return str(self.message) % {k: format_money(v) for k, v in self.params.items()}


class CategoryBelowUsed(FrameBelowUsed):
    """A frame or shares that would leave a category's share (arm B) below what has been
    paid from it."""

    default_text = lazy_gettext(
        "A category's share cannot be %(share)s: %(spent)s has already been paid from it. "
        "Raise the frame or that category's share."
    )


class NoBudget(NotFound):
    default_text = lazy_gettext("No budget frame has been set yet.")


@dataclass(frozen=True)
class FrameInput:
    frame_cents: int
    arm: ExperimentArm  # the frame's precision: A total only, B total and shares
    shares_bp: dict[int, int]
    reason: str
    period_start: date
    period_end: date
    teaming: bool = False  # the providers are convened (arm C): a second, separate question


def log_event(
    session: Session,
    actor: Actor,
    budget: Budget,
    action: PlanAction,
    plan: PlanVersion | None = None,
    comment: str = "",
) -> None:
    session.add(
        PlanEvent(
            budget_id=budget.id,
            plan_version_id=plan.id if plan else None,
            action=action,
            actor_id=actor.user_id,
            on_behalf_of_id=actor.on_behalf_of.id if actor.on_behalf_of else None,
            comment=comment,
        )
    )


def record_change(
    session: Session,
    actor: Actor,
    budget: Budget,
    record_type: str,
    record_id: object,
    action: AuditAction = AuditAction.update,
) -> None:
    """Audit a change to a client's budget, its plan, orders or deliveries."""
    audit.record(
        session,
        actor,
        action,
        "budget",
        subject_id=budget.client_id,
        record_type=record_type,
        record_id=record_id,
    )


def log_change(
    session: Session,
    actor: Actor,
    budget: Budget,
    action: PlanAction,
    plan: PlanVersion | None,
    record: tuple[str, object],
    comment: str = "",
) -> None:
    """The tail of every plan write: flush, then the plan event and the audit of `record`
    (record type, id)."""
    session.flush()
    log_event(session, actor, budget, action, plan, comment)
    record_change(session, actor, budget, *record)


def newest_budget(session: Session, budgets: SelectOfScalar[Budget]) -> Budget | None:
    """The newest of these budgets: latest period start, then the highest id."""
    return session.exec(newest_first(budgets)).first()


def budget_of_client(session: Session, actor: Actor) -> Budget | None:
    """The client's (or mandate client's) newest budget."""
    return newest_budget(session, readable_budgets(actor))


def caseload_budget(session: Session, actor: Actor, client_id: int) -> Budget | None:
    """A client's newest budget as the case-worker view reads it (no access check)."""
    return newest_budget(
        session, readable_caseload_budgets(actor).where(Budget.client_id == client_id)
    )


def required_budget_of_client(session: Session, actor: Actor) -> Budget:
    """The client's newest budget; a client without one gets NoBudget."""
    budget = budget_of_client(session, actor)
    if budget is None:
        raise NoBudget()
    return budget


def budget_for_caseworker(session: Session, actor: Actor, client_id: int) -> Budget | None:
    """A client's newest budget if the client is in the actor's caseload (else NotFound)."""
    in_caseload(session, actor, client_id)
    audit.record(
        session, actor, AuditAction.read, "budget", subject_id=client_id, record_type="budget"
    )
    return caseload_budget(session, actor, client_id)


def set_frame(session: Session, actor: Actor, client_id: int, data: FrameInput) -> Budget:
    """Create or change a client's frame; every change is a new FrameVersion with a reason."""
    from app.services.budget import ledger  # local: ledger builds on this module

    member = in_caseload(session, actor, client_id)
    assert member.organiser_id is not None  # a caseload is within the worker's organisers
    # An enrolled client's arms come from the experiment's allocation, never the form.
    allocation = experiment.allocation_for_client(session, client_id)
    arm = ExperimentArm(allocation.frame_arm) if allocation is not None else data.arm
    teaming = allocation.teaming if allocation is not None else data.teaming
    shares = data.shares_bp if arm is not ExperimentArm.a else {}
    if not arithmetic.shares_are_valid(shares):
        raise InvalidShares()
    budget = caseload_budget(session, actor, client_id)
    if budget is None:
        # One budget per client and period (a unique key): of parallel first frames one
        # inserts it, the others change that frame.
        first = Budget(
            client_id=client_id,
            organiser_id=member.organiser_id,
            period_start=data.period_start,
            period_end=data.period_end,
        )
        budget = ledger.add_once(session, first) or caseload_budget(session, actor, client_id)
        assert budget is not None
    budget = ledger.lock_budget(session, budget)
    _refuse_below_used(session, budget, data.frame_cents, shares)
    budget.arm, budget.teaming = arm, teaming
    budget.period_start, budget.period_end = data.period_start, data.period_end
    budget.frame_cents = data.frame_cents
    budget.shares_bp = {str(k): v for k, v in shares.items()}
    budget.frame_version += 1
    session.add(budget)
    session.add(
        FrameVersion(
            budget_id=budget.id,
            version=budget.frame_version,
            frame_cents=data.frame_cents,
            shares_bp=dict(budget.shares_bp),
            reason=data.reason,
            changed_by_id=actor.user_id,
        )
    )
    session.flush()
    ledger.post_allocation(session, actor, budget)
    log_event(session, actor, budget, PlanAction.frame_set, comment=data.reason)
    audit.record(
        session,
        actor,
        AuditAction.update,
        "budget",
        subject_id=client_id,
        record_type="budget",
        record_id=budget.id,
        details={"frame_cents": data.frame_cents, "version": budget.frame_version},
    )
    events.frame_set(session, budget)
    return budget


def _refuse_below_used(
    session: Session, budget: Budget, frame_cents: int, shares: dict[int, int]
) -> None:
    """A frame below what has been paid plus what is reported but not yet decided would show
    the client a negative balance, and a category share (arm B) below what has been paid
    from it a negative share: refused with the numbers."""
    from app.services.budget import ledger  # local: ledger builds on this module

    spent = ledger.allocated(session, budget) - ledger.balance(session, budget)
    pending = sum(
        session.exec(
            select(Delivery.amount_cents).where(
                Delivery.budget_id == budget.id, Delivery.status == DeliveryStatus.reported
            )
        ).all()
    )
    if frame_cents < spent + pending:
        raise FrameBelowUsed(frame=frame_cents, spent=spent, pending=pending, used=spent + pending)
    if not shares:
        return
    amounts, free = arithmetic.split_shares(frame_cents, shares)
    by_category = ledger.spent_by_category(session, budget)
    others = sum(v for k, v in by_category.items() if k not in amounts)
    for share, paid in [*((a, by_category.get(k, 0)) for k, a in amounts.items()), (free, others)]:
        if paid > share:
            raise CategoryBelowUsed(share=share, spent=paid)


def listed_newest_first(session: Session, rows: SelectOfScalar[T], newest: Any) -> list[T]:
    """The rows, highest `newest` (a version, a number, a date) first."""
    return list(session.exec(rows.order_by(col(newest).desc())).all())


def frame_versions(session: Session, budget: Budget) -> list[FrameVersion]:
    rows = select(FrameVersion).where(FrameVersion.budget_id == budget.id)
    return listed_newest_first(session, rows, FrameVersion.version)


def shares_of(budget: Budget) -> dict[int, int]:
    return {int(k): int(v) for k, v in budget.shares_bp.items()}


def organiser_of(session: Session, budget: Budget) -> Organiser:
    organiser = session.get(Organiser, budget.organiser_id)
    assert organiser is not None
    return organiser


def categories(session: Session, organiser_id: int) -> list[Category]:
    return list(
        session.exec(
            select(Category)
            .where(Category.organiser_id == organiser_id, col(Category.is_main))
            .order_by(col(Category.position))
        ).all()
    )


def versions(session: Session, budget: Budget) -> list[PlanVersion]:
    rows = select(PlanVersion).where(PlanVersion.budget_id == budget.id)
    return listed_newest_first(session, rows, PlanVersion.number)


def latest_version(session: Session, budget: Budget) -> PlanVersion | None:
    found = versions(session, budget)
    return found[0] if found else None


def confirmed_version(session: Session, budget: Budget) -> PlanVersion | None:
    return session.exec(
        select(PlanVersion)
        .where(
            PlanVersion.budget_id == budget.id,
            PlanVersion.status == PlanStatus.confirmed,
            col(PlanVersion.superseded).is_(False),
        )
        .order_by(col(PlanVersion.number).desc())
    ).first()


def lines_of(session: Session, plan: PlanVersion | None) -> list[PlanLine]:
    if plan is None:
        return []
    return list(
        session.exec(
            select(PlanLine).where(PlanLine.plan_version_id == plan.id).order_by(col(PlanLine.id))
        ).all()
    )


def fit_of(session: Session, budget: Budget, lines: list[PlanLine]) -> arithmetic.Fit:
    organiser = organiser_of(session, budget)
    return arithmetic.fit(
        budget.frame_cents,
        shares_of(budget),
        [(line.category_id, line.cost_cents) for line in lines],
        allows_own_share=organiser.allows_own_share,
    )


def history(session: Session, budget: Budget) -> list[tuple[PlanEvent, str, str | None]]:
    """Events newest first, with the actor's name and the client acted for (if any)."""
    events = session.exec(
        select(PlanEvent).where(PlanEvent.budget_id == budget.id).order_by(col(PlanEvent.id).desc())
    ).all()
    names: dict[int, str] = {}

    def name(user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in names:
            user = session.get(User, user_id)
            names[user_id] = user.display_name if user else "?"
        return names[user_id]

    return [(e, name(e.actor_id) or "?", name(e.on_behalf_of_id)) for e in events]


def caseworker_overview(
    session: Session, actor: Actor
) -> list[tuple[User, Budget | None, PlanVersion | None]]:
    """The clients of the actor's caseload with their newest budget and plan version: three
    queries for any caseload (the clients, their budgets newest first, the budgets' plan
    versions newest first), picked the way `caseload_budget` and `latest_version` pick."""
    clients = list(session.exec(readable_caseload_clients(actor)).all())
    ids = [c.id for c in clients]
    newest: dict[int, Budget] = {}
    if ids:
        found = newest_first(readable_caseload_budgets(actor).where(col(Budget.client_id).in_(ids)))
        for budget in session.exec(found).all():
            newest.setdefault(budget.client_id, budget)
    latest: dict[int, PlanVersion] = {}
    if newest:
        budget_ids = [b.id for b in newest.values()]
        plans = select(PlanVersion).where(col(PlanVersion.budget_id).in_(budget_ids))
        for version in listed_newest_first(session, plans, PlanVersion.number):
            latest.setdefault(version.budget_id, version)
    rows: list[tuple[User, Budget | None, PlanVersion | None]] = []
    for client in clients:
        budget = newest.get(client.id)  # type: ignore[arg-type]
        rows.append((client, budget, latest.get(budget.id) if budget else None))  # type: ignore[arg-type]
    return rows
