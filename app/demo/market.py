"""Demo data for the organiser's market views: the cohort's service needs, service languages
and effect ratings, so that need against supply, value for money and each provider's own
effect evidence show figures.

Each synthetic cohort client gets a submitted service-needs self-assessment (the categories of
their plan lines, and now and then one more), a service-use profile giving their language
(about one in six Swedish), and for most of the offers they used an effect rating of their
first confirmed delivery. Seeded, so the same cohort gives the same rows; idempotent: nothing
is added once a cohort client has a service-needs assessment."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from sqlmodel import Session, col, select

from app.demo.cohort_specs import MARKER
from app.models.assessment import Assessment, AssessmentStatus
from app.models.budget import Budget, PlanLine
from app.models.ledger import Delivery, DeliveryStatus
from app.models.organiser import Category
from app.models.rating import CommentStatus, Rating
from app.models.user import Membership, Role, User
from app.services.assessment import instruments, scoring

SEED = 19
SWEDISH_SHARE = 0.17
RATED_SHARE = 0.75
CONFIRMED = (DeliveryStatus.confirmed, DeliveryStatus.auto_accepted)


def _cohort(session: Session) -> list[tuple[int, str | None]]:
    return list(
        session.exec(
            select(User.id, Membership.municipality_code)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(
                col(User.is_synthetic),
                col(User.email).endswith(MARKER),
                Membership.role == Role.client,
            )
            .order_by(col(User.id))
        ).all()
    )  # type: ignore[arg-type]


def _used(session: Session, ids: list[int]) -> dict[int, list[tuple[int, int, int, int, object]]]:
    """client -> (delivery, plan line, offer, provider, delivered on) of the first confirmed
    delivery of each offer the client used."""
    found: dict[int, dict[int, tuple[int, int, int, int, object]]] = defaultdict(dict)
    for client_id, delivery_id, line_id, offer_id, provider_id, day in session.exec(
        select(
            Budget.client_id, Delivery.id, Delivery.plan_line_id, PlanLine.offer_id,
            Delivery.provider_id, Delivery.delivered_on,
        )
        .join(Budget, col(Budget.id) == Delivery.budget_id)
        .join(PlanLine, col(PlanLine.id) == Delivery.plan_line_id)
        .where(col(Budget.client_id).in_(ids), col(Delivery.status).in_(CONFIRMED))
        .order_by(col(Delivery.delivered_on), col(Delivery.id))
    ).all():  # fmt: skip
        found[client_id].setdefault(offer_id, (delivery_id, line_id, offer_id, provider_id, day))
    return {c: list(v.values()) for c, v in found.items()}


def _plan_slugs(session: Session, ids: list[int]) -> dict[int, set[str]]:
    slugs: dict[int, set[str]] = defaultdict(set)
    for client_id, slug, parent in session.exec(
        select(Budget.client_id, Category.slug, Category.parent_id)
        .join(PlanLine, col(PlanLine.category_id) == Category.id)
        .join(Delivery, col(Delivery.plan_line_id) == PlanLine.id)
        .join(Budget, col(Budget.id) == Delivery.budget_id)
        .where(col(Budget.client_id).in_(ids))
        .distinct()
    ).all():
        if parent is None:
            slugs[client_id].add(slug)
    return slugs


def load_market(session: Session) -> None:
    cohort = _cohort(session)
    ids = [c for c, _m in cohort]
    needs = instruments.latest("service-needs")
    if not ids or needs is None:
        return
    done = session.exec(
        select(Assessment.id).where(
            col(Assessment.client_id).in_(ids), Assessment.instrument_key == "service-needs"
        )
    ).first()
    if done is not None:
        return
    rng = random.Random(SEED)
    items = [i for i in needs.items_by_id.values() if i.categories]
    planned = _plan_slugs(session, ids)
    used = _used(session, ids)
    rows: list[object] = []
    for client_id, _municipality in cohort:
        wanted = planned.get(client_id, set())
        answers: dict[str, str] = {}
        for item in items:
            if set(item.categories) & wanted:
                answers[item.id] = rng.choice(["some", "much", "much"])
            else:
                answers[item.id] = "some" if rng.random() < 0.12 else "none"
        at = None
        uses = used.get(client_id, [])
        if uses:
            first_day = min(u[4] for u in uses)
            at = first_day - timedelta(days=20)  # type: ignore[operator]
        submitted = _moment(at)
        language = "sv" if rng.random() < SWEDISH_SHARE else "fi"
        for key, version, data, scores in (
            ("service-needs", needs.version, answers, scoring.domain_scores(needs, answers)),
            ("profile", 1, {"language": language}, None),
        ):
            rows.append(
                Assessment(
                    client_id=client_id,
                    instrument_key=key,
                    instrument_version=version,
                    status=AssessmentStatus.submitted,
                    answers=data,
                    scores=scores,
                    last_edited_by_id=client_id,
                    submitted_at=submitted,
                )
            )
        for delivery_id, line_id, offer_id, provider_id, day in uses:
            if rng.random() >= RATED_SHARE:
                continue
            rows.append(
                Rating(
                    offer_id=offer_id,
                    provider_id=provider_id,
                    client_id=client_id,
                    entered_by_id=client_id,
                    delivery_id=delivery_id,
                    plan_line_id=line_id,
                    month=f"{day:%Y-%m}",
                    quality=rng.choice([3, 4, 4, 5, 5]),
                    effect=rng.choice([None, 2, 3, 3, 4, 4, 1, 3]),
                    comment_status=CommentStatus.none,
                )
            )
    session.add_all(rows)
    session.flush()


def _moment(day: object) -> object:
    from datetime import UTC, datetime

    if day is None:
        return datetime.now(UTC) - timedelta(days=200)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)  # type: ignore[attr-defined]
