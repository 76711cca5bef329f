"""The state changes people are told about: one function per change, called on the line where
the state changes, inside the same transaction. Each knows who is concerned, the link to the
place where they act and the topic that clears when the thing is handled. A notice names no
client: the reader sees whose it is on the linked page, where that read is in the access log."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models.actor import MandateScope
from app.models.budget import Budget, OrderStatus, PlanAction, PlanEvent, PlanLine, PlanVersion
from app.models.ledger import Delivery, DeliveryStatus
from app.models.mandate import Mandate
from app.models.provider import ProviderApproval
from app.models.rating import Rating
from app.models.teaming import TeamingCheckpoint, TeamingInvitation
from app.repositories.own_work import after_transaction
from app.services.notifications.kinds import Kind
from app.services.notifications.recipients import case_worker, client_side, provider_members
from app.services.notifications.service import notify, resolve

CLIENT_PLAN = "/oma/budjetti"
CLIENT_DELIVERIES = "/oma/toimitukset"
PROVIDER_ORDERS = "/tuottaja/tilaukset"


def _caseworker_budget(budget: Budget) -> str:
    return f"/asiakkaat/{budget.client_id}/budjetti"


def _times_taken_back(session: Session, plan: PlanVersion) -> int:
    """How often this version was taken back: a version sent again is a new notice."""
    session.flush()
    count = select(func.count()).where(
        PlanEvent.plan_version_id == plan.id, PlanEvent.action == PlanAction.taken_back
    )
    return int(session.exec(count).one())


def plan_submitted(session: Session, budget: Budget, plan: PlanVersion) -> None:
    topic = f"plan:{plan.id}"
    again = _times_taken_back(session, plan)
    key = f"{topic}:{again}" if again else topic
    worker = case_worker(session, budget.client_id)
    notify(session, [worker], Kind.plan_submitted, key, _caseworker_budget(budget), topic)


def plan_taken_back(session: Session, budget: Budget, plan: PlanVersion) -> None:
    """The client took the sent plan back: "decide the plan" clears; the worker is told."""
    resolve(session, f"plan:{plan.id}")
    worker = case_worker(session, budget.client_id)
    key = f"plan_taken_back:{plan.id}:{_times_taken_back(session, plan)}"
    notify(session, [worker], Kind.plan_taken_back, key, _caseworker_budget(budget))


def plan_decided(session: Session, budget: Budget, plan: PlanVersion, confirmed: bool) -> None:
    """The worker decided: "decide the plan" clears; the client side is told the outcome."""
    resolve(session, f"plan:{plan.id}")
    kind = Kind.plan_confirmed if confirmed else Kind.plan_returned
    people = client_side(session, budget.client_id, MandateScope.plan)
    notify(session, people, kind, f"{kind}:{plan.id}", CLIENT_PLAN)


def frame_set(session: Session, budget: Budget) -> None:
    key = f"frame:{budget.id}:{budget.frame_version}"
    notify(session, [budget.client_id], Kind.frame_set, key, CLIENT_PLAN)


def order_new(session: Session, budget: Budget, line: PlanLine) -> None:
    notify(session, provider_members(session, line.provider_id), Kind.order_new,
           f"order:{line.line_key}", PROVIDER_ORDERS, f"order:{line.line_key}")  # fmt: skip


def orders_changed(
    session: Session, budget: Budget, before: dict[str, OrderStatus], lines: list[PlanLine]
) -> None:
    """A newly confirmed plan: its new lines are new orders; lines of the plan it replaces
    that are gone (and were not declined) are cancelled orders."""
    kept = {line.line_key for line in lines}
    for line in lines:
        if line.line_key not in before:
            order_new(session, budget, line)
    for key, status in before.items():
        gone = session.exec(select(PlanLine).where(PlanLine.line_key == key)).first()
        if key not in kept and status is not OrderStatus.declined and gone is not None:
            order_cancelled(session, budget, gone)


def order_cancelled(session: Session, budget: Budget, line: PlanLine) -> None:
    resolve(session, f"order:{line.line_key}")
    notify(session, provider_members(session, line.provider_id), Kind.order_cancelled,
           f"order_cancelled:{line.line_key}", PROVIDER_ORDERS)  # fmt: skip


def order_decided(session: Session, budget: Budget, line: PlanLine, accepted: bool) -> None:
    resolve(session, f"order:{line.line_key}")
    if not accepted:
        people = [budget.client_id, case_worker(session, budget.client_id)]
        notify(session, people, Kind.order_declined, f"declined:{line.id}", CLIENT_PLAN)


def delivery_reported(session: Session, budget: Budget, delivery: Delivery) -> None:
    people = client_side(session, budget.client_id, MandateScope.deliveries)
    notify(session, people, Kind.delivery_reported, f"reported:{delivery.id}",
           CLIENT_DELIVERIES, f"delivery:{delivery.id}")  # fmt: skip


def delivery_disputed(session: Session, budget: Budget, delivery: Delivery) -> None:
    resolve(session, f"delivery:{delivery.id}")
    key = f"disputed:{delivery.id}"
    worker = case_worker(session, budget.client_id)
    topic = f"dispute:{delivery.id}"  # clears when the provider answers
    notify(session, [worker], Kind.delivery_disputed, key, _caseworker_budget(budget), topic)
    providers = provider_members(session, delivery.provider_id)
    notify(session, providers, Kind.delivery_disputed, key, PROVIDER_ORDERS, topic)


def dispute_answered(session: Session, delivery: Delivery) -> None:
    """The provider corrected a disputed delivery: the dispute's notices are handled (the
    corrected report is told to the client like any report)."""
    resolve(session, f"dispute:{delivery.id}")


def dispute_contested(session: Session, budget: Budget, delivery: Delivery) -> None:
    """The provider stands by it: the client's case worker decides."""
    resolve(session, f"dispute:{delivery.id}")
    link = f"/asiakkaat/{budget.client_id}/toimitukset"
    notify(session, [case_worker(session, budget.client_id)], Kind.dispute_contested,
           f"contested:{delivery.id}", link, f"contest:{delivery.id}")  # fmt: skip


def dispute_resolved(session: Session, budget: Budget, delivery: Delivery) -> None:
    """Withdrawn by the provider or decided by the case worker: the client side and the
    provider are told; every open notice of the dispute is handled."""
    resolve(session, f"dispute:{delivery.id}")
    resolve(session, f"contest:{delivery.id}")
    key = f"resolved:{delivery.id}"
    people = client_side(session, budget.client_id, MandateScope.deliveries)
    notify(session, people, Kind.dispute_resolved, key, CLIENT_DELIVERIES)
    providers = provider_members(session, delivery.provider_id)
    notify(session, providers, Kind.dispute_resolved, key, PROVIDER_ORDERS)


def delivery_confirmed(session: Session, delivery: Delivery) -> None:
    """Confirmed (or accepted automatically): "confirm the delivery" clears for everyone told;
    an automatic acceptance is told to the client side and the provider."""
    resolve(session, f"delivery:{delivery.id}")
    if delivery.status is DeliveryStatus.auto_accepted:
        budget = session.get(Budget, delivery.budget_id)
        client = client_side(session, budget.client_id) if budget else []
        key = f"auto_accepted:{delivery.id}"
        notify(session, client, Kind.delivery_auto_accepted, key, CLIENT_DELIVERIES)
        providers = provider_members(session, delivery.provider_id)
        notify(session, providers, Kind.delivery_auto_accepted, key, PROVIDER_ORDERS)


def budget_used(session: Session, budget: Budget, threshold_bp: int) -> None:
    people = [budget.client_id, case_worker(session, budget.client_id)]
    key = f"used:{budget.id}:{budget.frame_version}:{threshold_bp}"
    notify(session, people, Kind.budget_used, key, CLIENT_PLAN, percent=threshold_bp // 100)


def overdraw(session: Session, budget: Budget, delivery: Delivery) -> None:
    """Told on its own unit of work: the refused request's rollback must not take it along."""
    worker = case_worker(session, budget.client_id)
    link, key = _caseworker_budget(budget), f"overdraw:{delivery.id}"

    delivery_id = delivery.id

    def tell(own: Session) -> None:
        if worker is not None and own.get(Delivery, delivery_id) is not None:
            notify(own, [worker], Kind.overdraw, key, link)  # unless rolled back with it

    after_transaction(session, tell)


def mandate_given(session: Session, mandate: Mandate) -> None:
    notify(session, [mandate.client_user_id, mandate.assistant_user_id], Kind.mandate_given,
           f"mandate_given:{mandate.id}", "/oma/valtuutukset")  # fmt: skip


def mandate_ended(session: Session, mandate: Mandate) -> None:
    notify(session, [mandate.client_user_id, mandate.assistant_user_id], Kind.mandate_ended,
           f"mandate_ended:{mandate.id}", "/oma/valtuutukset")  # fmt: skip


def approval_decided(session: Session, approval: ProviderApproval) -> None:
    notify(session, provider_members(session, approval.provider_id), Kind.approval_decided,
           f"approval:{approval.id}:{approval.status}", "/tuottaja")  # fmt: skip


def rating_reply(session: Session, rating: Rating) -> None:
    notify(session, [rating.client_id], Kind.rating_reply, f"reply:{rating.id}", "/oma/arviot")


def rating_hidden(session: Session, rating: Rating, reason: str) -> None:
    notify(session, [rating.client_id], Kind.rating_hidden, f"rating_hidden:{rating.id}",
           "/oma/arviot", reason=reason)  # fmt: skip


def teaming_invited(
    session: Session, checkpoint: TeamingCheckpoint, provider_ids: list[int]
) -> None:
    """A teaming meeting scheduled or moved: each newly told provider's members get the
    invitation (its page is where they answer); it clears when the meeting is held. The
    worker's "schedule it" reminder is handled."""
    resolve(session, teaming_due_topic(checkpoint.budget_id, checkpoint.stage))
    if not provider_ids:
        return
    invitations = session.exec(
        select(TeamingInvitation).where(
            TeamingInvitation.checkpoint_id == checkpoint.id,
            col(TeamingInvitation.provider_id).in_(provider_ids),
        )
    ).all()
    for invitation in invitations:
        key = f"teaming_invited:{invitation.id}:{checkpoint.meets_on.isoformat()}"
        notify(session, provider_members(session, invitation.provider_id), Kind.teaming_invited,
               key, f"/tuottaja/tiimiytys/{invitation.id}", teaming_topic(checkpoint))  # fmt: skip


def teaming_topic(checkpoint: TeamingCheckpoint) -> str:
    return f"teaming:{checkpoint.id}"


def teaming_due_topic(budget_id: int, stage: str) -> str:
    return f"teaming_due:{budget_id}:{stage}"


def teaming_held(session: Session, checkpoint: TeamingCheckpoint) -> None:
    """Held: the invitations and the worker's reminder of this checkpoint are handled."""
    resolve(session, teaming_topic(checkpoint))
    resolve(session, teaming_due_topic(checkpoint.budget_id, checkpoint.stage))
