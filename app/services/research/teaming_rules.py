"""When each teaming checkpoint is due and how it went (pure: dates in, status out).

Seed 004 convenes the providers of an arm-C client's budget 1) before the budget is used,
2) after it has been deployed and 3) at the evaluation of its impact. Hebu derives each
checkpoint's due date from the budget's own dates:

- before use: within `BEFORE_USE_DAYS` of the first confirmation of the plan;
- after deployment: within `AFTER_DEPLOYMENT_DAYS` of the first delivery;
- impact evaluation: within `IMPACT_GRACE_DAYS` of the day the yearly evaluation falls due
  (a year after the first confirmation, as `evaluation.reminders` counts it).

A checkpoint whose anchor has not happened yet has no due date and is "not yet due".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.models.teaming import TeamingStage, TeamingStatus

BEFORE_USE_DAYS = 14
AFTER_DEPLOYMENT_DAYS = 42
IMPACT_GRACE_DAYS = 30
# The reminder job tells the worker this many days before a checkpoint falls due.
REMIND_DAYS = 14
STAGES = tuple(TeamingStage)
# The checkpoints in the address of their page: /asiakkaat/{client}/tiimiytys/{number}.
NUMBERS = {stage: number for number, stage in enumerate(STAGES, start=1)}


Status = TeamingStatus


@dataclass(frozen=True)
class Anchors:
    """The budget's dates the checkpoints follow."""

    confirmed_on: date | None  # the plan's first confirmation
    first_delivery_on: date | None


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def due_on(stage: TeamingStage, anchors: Anchors) -> date | None:
    if stage is TeamingStage.before_use:
        start = anchors.confirmed_on
        return start + timedelta(days=BEFORE_USE_DAYS) if start else None
    if stage is TeamingStage.after_deployment:
        start = anchors.first_delivery_on
        return start + timedelta(days=AFTER_DEPLOYMENT_DAYS) if start else None
    start = anchors.confirmed_on
    return one_year_after(start) + timedelta(days=IMPACT_GRACE_DAYS) if start else None


def status(due: date | None, held_on: date | None, today: date) -> Status:
    """Held by the due date: on time; held after it: late; not held and past it: missing."""
    if held_on is not None:
        return Status.on_time if due is None or held_on <= due else Status.late
    if due is not None and today > due:
        return Status.missing
    return Status.not_due


def stage_of_number(number: int) -> TeamingStage | None:
    return STAGES[number - 1] if 1 <= number <= len(STAGES) else None


def remind(due: date | None, held_on: date | None, today: date) -> bool:
    """The worker is reminded from `REMIND_DAYS` before the due date until it is held."""
    return held_on is None and due is not None and today >= due - timedelta(days=REMIND_DAYS)
