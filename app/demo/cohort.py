"""A synthetic cohort: a few hundred generated clients with plausible year-long trajectories.

Every generated person has `User.is_synthetic` set and staff views label them; nothing
excludes them. Each client has a research consent (most give it, a few withdraw), an
experiment allocation from the organiser's stored seed, a life-situation assessment at the
start and one a year later, GAS goals with check-ins, a frame, a plan (confirmed at once
or returned first), accepted orders and confirmed deliveries posted to the ledger.

Rows are inserted in bulk, one flush per table, so a cohort of 300 loads in a few seconds.
`insert_clients` is also what tests use to build hand-computed fixtures.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from app.demo.cohort_specs import (
    DEMO_SEED,
    ORGANISER_CODE,
    WORKERS,
    ClientSpec,
    generate,
)
from app.models.assessment import Assessment, AssessmentStatus
from app.models.budget import (
    Budget,
    FrameVersion,
    Meeting,
    MeetingKind,
    OrderStatus,
    PlanLine,
    PlanStatus,
    PlanVersion,
)
from app.models.goal import Goal, GoalCheckIn, GoalStatus
from app.models.ledger import Delivery, DeliveryStatus, EntryKind, LedgerEntry
from app.models.offer import Offer, OfferStatus
from app.models.organiser import Organiser
from app.models.provider import ApprovalStatus, ProviderApproval
from app.models.research import CONSENT_TEXT_VERSION, Allocation, ConsentEvent, Experiment
from app.models.user import Membership, Role, User


def _ensure_experiment(session: Session, organiser: Organiser, creator_id: int) -> Experiment:
    experiment = session.exec(
        select(Experiment)
        .where(Experiment.organiser_id == organiser.id)
        .order_by(col(Experiment.id).desc())
    ).first()
    if experiment is None:
        experiment = Experiment(
            organiser_id=organiser.id,  # type: ignore[arg-type]
            name="Raamikoe 2026 / Ramförsök 2026",
            frame_arms=["A", "B"],
            teaming_arms=["C", "none"],
            block_size=4,
            seed=DEMO_SEED,
            created_by_id=creator_id,
        )
        session.add(experiment)
        session.flush()
    return experiment


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert (no ORM objects: building thousands of them is the slow part)."""
    if not rows:
        return []
    now = datetime.now(UTC)
    for row in rows:
        row.setdefault("created_at", now)
        row.setdefault("updated_at", now)
    result = session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return [int(r[0]) for r in result]


def insert_clients(
    session: Session,
    organiser: Organiser,
    specs: list[ClientSpec],
    experiment: Experiment | None = None,
    reporter_id: int | None = None,
) -> list[int]:
    """Insert the clients and everything that follows from their specs; returns user ids."""
    session.flush()
    user_ids = _insert(
        session,
        User,
        [
            {
                "display_name": s.name,
                "locale": "fi",
                "is_synthetic": s.synthetic,
                "is_active": True,
                "session_generation": 0,
            }
            for s in specs
        ],
    )
    pairs = list(zip(specs, user_ids, strict=True))
    stratum_next: dict[str, int] = {}
    if experiment is not None:
        for stratum, n in session.exec(
            select(Allocation.stratum, Allocation.sequence).where(
                Allocation.experiment_id == experiment.id
            )
        ).all():
            stratum_next[stratum] = max(stratum_next.get(stratum, 0), n + 1)
    memberships, consents, allocations, budgets = [], [], [], []
    for s, uid in pairs:
        memberships.append(
            {
                "user_id": uid,
                "role": Role.client.value,
                "organiser_id": organiser.id,
                "case_worker_id": s.worker_id,
                "client_group": s.group,
            }
        )
        consent_at = s.frame_at - timedelta(days=14)
        if s.consent in ("given", "withdrawn"):
            consents.append(_consent(uid, 1, True, consent_at))
        if s.consent == "withdrawn":
            consents.append(_consent(uid, 2, False, s.frame_at + timedelta(days=200)))
        if experiment is not None and s.enrol and s.consent != "none":
            position = stratum_next.get(s.group, 0)
            stratum_next[s.group] = position + 1
            allocations.append(
                {
                    "experiment_id": experiment.id,
                    "client_id": uid,
                    "stratum": s.group,
                    "sequence": position,
                    "frame_arm": s.frame_arm,
                    "teaming": s.teaming,
                    "allocated_by_id": s.worker_id,
                    "allocated_at": consent_at,
                }
            )
        start = s.frame_at.date()
        shares: dict[str, int] = {}
        if s.frame_arm == "B":
            cats = sorted({line.offer.category_id for line in s.lines})
            shares = {str(c): 10_000 // max(1, len(cats) + 1) for c in cats}
        budgets.append(
            {
                "client_id": uid,
                "organiser_id": organiser.id,
                "period_start": start,
                "period_end": start + timedelta(days=364),
                "arm": s.frame_arm,
                "frame_cents": s.frame_cents,
                "shares_bp": shares,
                "frame_version": 1,
                "created_at": s.frame_at,
            }
        )
    _insert(session, Membership, memberships)
    _insert(session, ConsentEvent, consents)
    _insert(session, Allocation, allocations)
    budget_ids = _insert(session, Budget, budgets)
    frames, ledger, plan_rows, plan_meta, meetings = [], [], [], [], []
    for (s, _uid), bid, b in zip(pairs, budget_ids, budgets, strict=True):
        frames.append(
            {
                "budget_id": bid,
                "version": 1,
                "frame_cents": s.frame_cents,
                "shares_bp": dict(b["shares_bp"]),
                "reason": "Alkuarvio / Inledande bedömning",
                "changed_by_id": s.worker_id,
                "created_at": s.frame_at,
            }
        )
        ledger.append(
            _entry(bid, EntryKind.allocation, s.frame_cents, f"alloc:{bid}:1", s.frame_at)
        )
        ledger[-1]["created_by_id"] = s.worker_id
        decided = s.frame_at + timedelta(days=s.days_to_confirmation)
        submitted = decided - timedelta(days=3)
        if s.plan == "returned":
            plan_rows.append(
                _plan(bid, 1, PlanStatus.returned, submitted - timedelta(days=7))
                | {
                    "review_comment": "Lisää vielä yksi palvelu.",
                    "decided_at": submitted - timedelta(days=5),
                    "decided_by_id": s.worker_id,
                }
            )
            plan_meta.append(None)
        status = PlanStatus.submitted if s.plan == "submitted" else PlanStatus.confirmed
        if s.plan == "draft":
            status = PlanStatus.draft
        confirmed = status == PlanStatus.confirmed
        plan_rows.append(
            _plan(
                bid,
                2 if s.plan == "returned" else 1,
                status,
                submitted if s.plan != "draft" else None,
            )
            | {
                "decided_at": decided if confirmed else None,
                "decided_by_id": s.worker_id if confirmed else None,
            }
        )
        plan_meta.append((s, bid, decided if confirmed else None))
        if s.teaming and confirmed:
            meetings.append(
                {
                    "budget_id": bid,
                    "kind": MeetingKind.teaming.value,
                    "held_on": (decided - timedelta(days=1)).date(),
                    "notes": "",
                    "recorded_by_id": s.worker_id,
                }
            )
    _insert(session, FrameVersion, frames)
    plan_ids = _insert(session, PlanVersion, plan_rows)
    _insert(session, Meeting, meetings)
    line_rows, line_meta = [], []
    for pid, meta in zip(plan_ids, plan_meta, strict=True):
        if meta is None:
            continue
        s, bid, decided = meta
        for n, spec in enumerate(s.lines):
            offer = spec.offer
            price = max(1, offer.unit_price_cents)
            repeats = max(1, spec.cost_cents // price)
            line_rows.append(
                {
                    "plan_version_id": pid,
                    "line_key": f"s{bid}-{n}",
                    "offer_id": offer.id,
                    "provider_id": offer.provider_id,
                    "category_id": offer.category_id,
                    "title": dict(offer.title),
                    "unit": str(offer.unit),
                    "unit_price_cents": price,
                    "quantity": 1,
                    "repeats": repeats,
                    "cost_cents": price * repeats,
                    "order_status": (
                        OrderStatus.accepted if decided else OrderStatus.pending
                    ).value,
                    "order_decided_at": decided,
                }
            )
            line_meta.append((s, bid, spec, decided))
    line_ids = _insert(session, PlanLine, line_rows)
    delivery_rows, delivery_meta = [], []
    for lid, row, (s, bid, spec, decided) in zip(line_ids, line_rows, line_meta, strict=True):
        if decided is None or spec.delivered_cents <= 0:
            continue
        price = row["unit_price_cents"]
        units = min(row["repeats"], max(1, spec.delivered_cents // price))
        amount = units * price
        delivery_rows.append(
            {
                "budget_id": bid,
                "plan_line_id": lid,
                "provider_id": row["provider_id"],
                "delivered_on": min((decided + timedelta(days=60)).date(), date.today()),
                "units": units,
                "amount_cents": amount,
                "note": "",
                "status": DeliveryStatus.confirmed.value,
                "reported_by_id": reporter_id or s.worker_id,
                "decided_by_id": None,
                "decided_at": decided + timedelta(days=62),
                "dispute_reason": "",
                "budget_cents": amount,
                "own_share_cents": 0,
            }
        )
        delivery_meta.append((bid, row))
    delivery_ids = _insert(session, Delivery, delivery_rows)
    for did, d, (bid, row) in zip(delivery_ids, delivery_rows, delivery_meta, strict=True):
        entry = _entry(
            bid,
            EntryKind.delivery_debit,
            -d["amount_cents"],
            f"delivery:{did}:debit",
            d["decided_at"],
        )
        entry.update(delivery_id=did, line_key=row["line_key"], category_id=row["category_id"])
        ledger.append(entry)
    for entry in ledger:
        entry.setdefault("created_by_id", None)
        entry.setdefault("delivery_id", None)
        entry.setdefault("line_key", None)
        entry.setdefault("category_id", None)
    _insert(session, LedgerEntry, ledger)
    assessments, goal_rows, goal_levels = [], [], []
    for s, uid in pairs:
        for key, scores, answers, at in (
            ("life-situation", s.first_scores, s.first_answers, s.frame_at - timedelta(days=10)),
            ("life-situation", s.latest_scores, s.latest_answers, s.frame_at + timedelta(days=355)),
            ("experience", s.experience_scores, {}, s.frame_at + timedelta(days=356)),
        ):
            if scores is None:
                continue
            assessments.append(
                {
                    "client_id": uid,
                    "instrument_key": key,
                    "instrument_version": 1,
                    "status": AssessmentStatus.submitted.value,
                    "answers": answers,
                    "skipped": [],
                    "scores": scores,
                    "with_assistant": s.with_help,
                    "last_edited_by_id": uid,
                    "submitted_at": at,
                    "created_at": at,
                    "updated_at": at,
                }
            )
        for n, (baseline, level) in enumerate(s.goals):
            goal_rows.append(
                {
                    "client_id": uid,
                    "what": f"Tavoite {n + 1} / Mål {n + 1}",
                    "why": "",
                    "steps": "",
                    "evidence": "",
                    "levels": {str(x): f"Taso {x}" for x in (-2, -1, 0, 1, 2)},
                    "baseline_level": baseline,
                    "target_level": 0,
                    "weight": 1,
                    "status": GoalStatus.active.value,
                    "with_assistant": s.with_help,
                    "created_by_id": uid,
                    "created_at": s.frame_at,
                }
            )
            goal_levels.append((uid, level, s.frame_at + timedelta(days=300)))
    _insert(session, Assessment, assessments)
    goal_ids = _insert(session, Goal, goal_rows)
    _insert(
        session,
        GoalCheckIn,
        [
            {
                "goal_id": gid,
                "level": level,
                "note": "",
                "recorded_at": at,
                "recorded_by_id": uid,
                "with_assistant": False,
            }
            for gid, (uid, level, at) in zip(goal_ids, goal_levels, strict=True)
        ],
    )
    return user_ids


def _consent(client_id: int, version: int, given: bool, at: datetime) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "version": version,
        "given": given,
        "text_version": CONSENT_TEXT_VERSION,
        "recorded_by_id": client_id,
        "on_paper": False,
        "note": "",
        "occurred_at": at,
    }


def _entry(budget_id: int, kind: EntryKind, cents: int, key: str, at: datetime) -> dict[str, Any]:
    return {
        "budget_id": budget_id,
        "kind": kind.value,
        "amount_cents": cents,
        "affects_balance": True,
        "idempotency_key": key,
        "note": "",
        "posted_at": at,
    }


def _plan(
    budget_id: int, number: int, status: PlanStatus, submitted: datetime | None
) -> dict[str, Any]:
    return {
        "budget_id": budget_id,
        "number": number,
        "status": status.value,
        "client_note": "",
        "review_comment": "",
        "own_share_cents": 0,
        "submitted_at": submitted,
        "decided_at": None,
        "decided_by_id": None,
        "superseded": False,
    }


# --- generating plausible specs ------------------------------------------------------------


def _workers(session: Session, organiser: Organiser) -> list[int]:
    ids: list[int] = []
    sari = session.exec(select(User).where(User.dev_persona == "case-worker")).first()
    for name in WORKERS:
        user = session.exec(
            select(User).where(User.display_name == name, col(User.is_synthetic))
        ).first()
        if user is None:
            user = User(display_name=name, locale="fi", is_synthetic=True)
            session.add(user)
            session.flush()
            session.add(
                Membership(user_id=user.id, role=Role.case_worker, organiser_id=organiser.id)  # type: ignore[arg-type]
            )
        ids.extend([user.id] * 3)  # type: ignore[list-item]
    if sari is not None and sari.id is not None:
        ids.append(sari.id)  # the demo case worker sees every tenth synthetic client
    session.flush()
    return ids


def _offers(session: Session, organiser: Organiser) -> list[Offer]:
    approved = select(ProviderApproval.provider_id).where(
        ProviderApproval.organiser_id == organiser.id,
        ProviderApproval.status == ApprovalStatus.approved,
    )
    offers = session.exec(
        select(Offer)
        .where(Offer.status == OfferStatus.published, col(Offer.provider_id).in_(approved))
        .where(col(Offer.unit_price_cents) > 0)
        .order_by(col(Offer.id))
    ).all()
    by_category: dict[int, Offer] = {}
    for offer in offers:
        by_category.setdefault(offer.category_id, offer)
    return list(by_category.values())


def synthetic_count(session: Session) -> int:
    return len(
        session.exec(
            select(Membership.id)
            .join(User, col(User.id) == Membership.user_id)
            .where(col(User.is_synthetic), Membership.role == Role.client)
        ).all()
    )


def load_cohort(session: Session, size: int = 300, seed: int = 2026) -> int:
    """Add `size` synthetic clients to the demo county; returns how many were added."""
    organiser = session.exec(select(Organiser).where(Organiser.code == ORGANISER_CODE)).first()
    admin = session.exec(select(User).where(User.dev_persona == "admin")).first()
    if organiser is None or admin is None or admin.id is None:
        return 0
    offers = _offers(session, organiser)
    if not offers:
        return 0
    experiment = _ensure_experiment(session, organiser, admin.id)
    rng = random.Random(seed + synthetic_count(session))
    positions: dict[str, int] = {}
    for stratum, n in session.exec(
        select(Allocation.stratum, Allocation.sequence).where(
            Allocation.experiment_id == experiment.id
        )
    ).all():
        positions[stratum] = max(positions.get(stratum, 0), n + 1)
    specs = generate(rng, size, _workers(session, organiser), offers, experiment, positions)
    reporter = session.exec(
        select(Membership.user_id).where(Membership.provider_id == offers[0].provider_id)
    ).first()
    insert_clients(session, organiser, specs, experiment, reporter_id=reporter)
    return len(specs)


def load_demo_cohort(session: Session) -> None:
    """The demo step: a cohort (300 clients by default) once (idempotent)."""
    from app.config import get_settings

    if synthetic_count(session) == 0:
        load_cohort(session, get_settings().demo_cohort_size)
