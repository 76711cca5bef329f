"""The teaming checkpoints in the arm comparison: per teaming arm (C and not C) and
checkpoint, how many clients had the meeting held on time, late, missing or not yet due.

Counted like the rest of the arm comparison (`arm_report`): the experiment's randomised
clients whose research consent is in force now (`scope.population`), each client's newest
budget; a count of 1–4 clients is suppressed (`disclosure.count`). Arm "not C" is not
convened: its figures show whether the arms were kept apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.models.budget import Budget
from app.models.research import Allocation, Experiment
from app.models.teaming import TeamingCheckpoint, TeamingStage
from app.repositories.budget import newest_first
from app.services import disclosure
from app.services.disclosure import Cell
from app.services.research import scope
from app.services.research.teaming import anchors_of, checkpoints_of
from app.services.research.teaming_rules import STAGES, Status

ARMS = ("C", "none")
STATUSES = tuple(Status)


@dataclass
class Section:
    """cells[(arm, stage, status)]: the clients in that state; n per arm."""

    cells: dict[tuple[str, TeamingStage, Status], Cell]
    n: dict[str, Cell]


def count(arms: dict[int, bool], statuses: dict[int, dict[TeamingStage, Status]]) -> Section:
    """Pure: clients' teaming arm (True = C) and checkpoint statuses → suppressed counts."""
    tally: dict[tuple[str, TeamingStage, Status], int] = {}
    per_arm = dict.fromkeys(ARMS, 0)
    for client_id, teaming in arms.items():
        arm = "C" if teaming else "none"
        per_arm[arm] += 1
        for stage in STAGES:
            found = statuses.get(client_id, {}).get(stage, Status.not_due)
            tally[(arm, stage, found)] = tally.get((arm, stage, found), 0) + 1
    cells = {
        (arm, stage, s): disclosure.count(tally.get((arm, stage, s), 0))
        for arm in ARMS
        for stage in STAGES
        for s in STATUSES
    }
    return Section(cells, {arm: disclosure.count(n) for arm, n in per_arm.items()})


def build(session: Session, experiment: Experiment | None, today: date) -> Section | None:
    """The section for the organiser's current experiment (None without one)."""
    if experiment is None:
        return None
    enrolled = select(Allocation.client_id).where(Allocation.experiment_id == experiment.id)
    counted = scope.population(session, "experiment_report", enrolled)
    arms = dict(
        session.exec(
            select(Allocation.client_id, Allocation.teaming).where(
                Allocation.experiment_id == experiment.id,
                col(Allocation.client_id).in_(counted.ids),
            )
        ).all()
    )
    newest: dict[int, Budget] = {}
    if arms:
        budgets = select(Budget).where(col(Budget.client_id).in_(list(arms)))
        for budget in session.exec(newest_first(budgets)).all():
            newest.setdefault(budget.client_id, budget)
    ids = [b.id for b in newest.values() if b.id is not None]
    anchors = anchors_of(session, ids)
    records = (
        list(
            session.exec(select(TeamingCheckpoint).where(col(TeamingCheckpoint.budget_id).in_(ids)))
        )
        if ids
        else []
    )
    statuses = {
        client_id: {
            c.stage: c.status
            for c in checkpoints_of(budget, anchors[budget.id or 0], records, today)
        }
        for client_id, budget in newest.items()
    }
    return count(arms, statuses)
