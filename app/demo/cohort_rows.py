"""Inserting the synthetic cohort's specs: one bulk INSERT per table, no ORM objects and no
audit events (nothing real happened). `insert_clients` is also what tests use to build
hand-computed fixtures.

The steps follow a client's way through Hebu: the person (and comparison group membership),
research consent and the experiment's allocation, the budget trail (`cohort_budgets`:
frame, plan, orders, deliveries), self-assessments, goals with check-ins, time entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from app.demo.bulk import insert_rows as _insert
from app.demo.cohort_budgets import Client, Placed, insert_budgets
from app.demo.cohort_specs import (
    FIRST_DAY,
    LATEST_DAY,
    MIDWAY_DAY,
    SURVEY_DAY,
    WITHDRAWAL_DAY,
    ClientSpec,
)
from app.models.assessment import Assessment, AssessmentStatus
from app.models.goal import Goal, GoalCheckIn
from app.models.organiser import Organiser
from app.models.report import ComparisonMember, TimeEntry
from app.models.research import CONSENT_TEXT_VERSION, Allocation, ConsentEvent, Experiment
from app.models.user import Membership, Role, User


def insert_clients(
    session: Session,
    organiser: Organiser,
    specs: list[ClientSpec],
    experiment: Experiment | None = None,
    reporters: dict[int, int] | None = None,
) -> list[int]:
    """Insert the clients and everything that follows from their specs; returns user ids.
    `reporters` maps a provider to the member who reports its deliveries (else the worker)."""
    session.flush()
    clients = _insert_people(session, organiser, specs)
    _insert_research(session, clients, experiment)
    with_budget = [c for c in clients if not c.spec.comparison]
    budgets = insert_budgets(session, organiser, with_budget, reporters or {})
    _insert_assessments(session, clients)
    _insert_goals(session, clients)
    _insert(session, TimeEntry, [row for b in budgets for row in _time_rows(organiser, b)])
    return [c.id for c in clients]


# --- the steps ------------------------------------------------------------------------------


def _insert_people(session: Session, organiser: Organiser, specs: list[ClientSpec]) -> list[Client]:
    ids = _insert(
        session,
        User,
        [
            {"display_name": s.name, "email": s.email, "locale": "fi", "is_synthetic": s.synthetic}
            for s in specs
        ],
    )
    clients = [Client(s, uid) for s, uid in zip(specs, ids, strict=True)]
    memberships = [
        {
            "user_id": c.id,
            "role": Role.client,
            "organiser_id": organiser.id,
            "case_worker_id": c.spec.worker_id,
            "municipality_code": c.spec.municipality,
            "client_group": c.spec.group,
        }
        for c in clients
    ]
    _insert(session, Membership, memberships)
    comparison = [
        {"client_id": c.id, "organiser_id": organiser.id, "set_by_id": c.spec.worker_id}
        for c in clients
        if c.spec.comparison
    ]
    _insert(session, ComparisonMember, comparison)
    return clients


def _insert_research(
    session: Session, clients: list[Client], experiment: Experiment | None
) -> None:
    """Consent two weeks before the frame (a few withdraw later); the consenting are
    allocated in turn, continuing each stratum's sequence."""
    consents, allocations = [], []
    positions = next_positions(session, experiment) if experiment else {}
    for c in clients:
        s, consent_at = c.spec, c.spec.frame_at - timedelta(days=14)
        if s.consent in ("given", "withdrawn"):
            consents.append(_consent(c.id, 1, True, consent_at))
        if s.consent == "withdrawn":
            consents.append(_consent(c.id, 2, False, s.frame_at + timedelta(days=WITHDRAWAL_DAY)))
        if experiment is None or not s.enrol or s.consent == "none":
            continue
        position = positions.get(s.group, 0)
        positions[s.group] = position + 1
        allocations.append(
            {
                "experiment_id": experiment.id,
                "client_id": c.id,
                "stratum": s.group,
                "sequence": position,
                "frame_arm": s.frame_arm,
                "teaming": s.teaming,
                "allocated_by_id": s.worker_id,
                "allocated_at": consent_at,
            }
        )
    _insert(session, ConsentEvent, consents)
    _insert(session, Allocation, allocations)


def next_positions(session: Session, experiment: Experiment) -> dict[str, int]:
    """Each stratum's next free allocation sequence number in the experiment."""
    positions: dict[str, int] = {}
    for stratum, n in session.exec(
        select(Allocation.stratum, Allocation.sequence).where(
            Allocation.experiment_id == experiment.id
        )
    ).all():
        positions[stratum] = max(positions.get(stratum, 0), n + 1)
    return positions


def _insert_assessments(session: Session, clients: list[Client]) -> None:
    """Life-situation assessments at the start, after half a year and after a year; the
    experience survey after a year (each only when the spec has it)."""
    rows = []
    for c in clients:
        s = c.spec
        for key, scores, answers, day in (
            ("life-situation", s.first_scores, s.first_answers, FIRST_DAY),
            ("life-situation", s.midway_scores, s.midway_answers, MIDWAY_DAY),
            ("life-situation", s.latest_scores, s.latest_answers, LATEST_DAY),
            ("experience", s.experience_scores, {}, SURVEY_DAY),
        ):
            if scores is None:
                continue
            at = s.frame_at + timedelta(days=day)
            rows.append(
                {
                    "client_id": c.id,
                    "instrument_key": key,
                    "instrument_version": 1,
                    "status": AssessmentStatus.submitted,
                    "answers": answers,
                    "skipped": [],
                    "scores": scores,
                    "with_assistant": s.with_help,
                    "last_edited_by_id": c.id,
                    "submitted_at": at,
                    "created_at": at,
                    "updated_at": at,
                }
            )
    _insert(session, Assessment, rows)


def _insert_goals(session: Session, clients: list[Client]) -> None:
    """GAS goals set at the frame; the check-ins step from the baseline to the level now."""
    goals = [(c, n, goal) for c in clients for n, goal in enumerate(c.spec.goals)]
    rows = [_goal_row(c, n, baseline) for c, n, (baseline, _level) in goals]
    ids = _insert(session, Goal, rows)
    check_ins = []
    for gid, (c, _n, (baseline, level)) in zip(ids, goals, strict=True):
        days = c.spec.check_in_days
        for k, day in enumerate(days, 1):
            check_ins.append(
                {
                    "goal_id": gid,
                    "level": baseline + round((level - baseline) * k / len(days)),
                    "recorded_at": c.spec.frame_at + timedelta(days=day),
                    "recorded_by_id": c.id,
                }
            )
    _insert(session, GoalCheckIn, check_ins)


def _goal_row(c: Client, n: int, baseline: int) -> dict[str, Any]:
    return {
        "client_id": c.id,
        "what": f"Tavoite {n + 1} / Mål {n + 1}",
        "levels": {str(x): f"Taso {x}" for x in (-2, -1, 0, 1, 2)},
        "baseline_level": baseline,
        "target_level": 0,
        "weight": 1,
        "with_assistant": c.spec.with_help,
        "created_by_id": c.id,
        "created_at": c.spec.frame_at,
    }


def _time_rows(organiser: Organiser, b: Placed) -> Iterable[dict[str, Any]]:
    for t in b.spec.time:
        yield {
            "client_id": b.client_id,
            "organiser_id": organiser.id,
            "role": t.role,
            "task": t.task,
            "minutes": t.minutes,
            "spent_on": (b.spec.frame_at + timedelta(days=t.after_days)).date(),
            "recorded_by_id": b.spec.worker_id,
        }


# --- rows -----------------------------------------------------------------------------------


def _consent(client_id: int, version: int, given: bool, at: datetime) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "version": version,
        "given": given,
        "text_version": CONSENT_TEXT_VERSION,
        "recorded_by_id": client_id,
        "occurred_at": at,
    }
