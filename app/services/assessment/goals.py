"""Personal goals: writing them, check-ins, closing them; the client's progress in words and
the GAS T-score (for workers and evaluation, never shown to the client)."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import BaseModel, Field, field_validator
from pydantic_core.core_schema import ValidationInfo
from sqlmodel import Session, col, select

from app.errors import AppError, Forbidden
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.base import utcnow
from app.models.goal import GAS_LEVELS, Goal, GoalCheckIn, GoalPlanLink, GoalStatus
from app.repositories.assessment import own_goals, readable_goals
from app.services import audit
from app.services.assessment import gas
from app.services.assessment.ownership import own_or_refuse

CATEGORY = "goal"
LEVEL_KEYS = {"level_m2": "-2", "level_m1": "-1", "level_0": "0", "level_p1": "1", "level_p2": "2"}
SCORED = (GoalStatus.active, GoalStatus.achieved)


class GoalForm(BaseModel):
    what: str = Field(default="", max_length=300, validate_default=True)
    why: str = Field(default="", max_length=1000)
    steps: str = Field(default="", max_length=2000)
    evidence: str = Field(default="", max_length=1000)
    level_m2: str = Field(default="", max_length=300)
    level_m1: str = Field(default="", max_length=300)
    level_0: str = Field(default="", max_length=300)
    level_p1: str = Field(default="", max_length=300)
    level_p2: str = Field(default="", max_length=300)
    baseline_level: int = Field(default=-1, ge=-2, le=2)
    target_level: int = Field(default=0, ge=-2, le=2, validate_default=True)

    @field_validator("what")
    @classmethod
    def named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(lazy_gettext("Write the name of your goal."))
        return value

    @field_validator("target_level")
    @classmethod
    def above_baseline(cls, value: int, info: ValidationInfo) -> int:
        baseline = info.data.get("baseline_level")
        if baseline is not None and value <= baseline:
            raise ValueError(lazy_gettext("The target must be higher than where you are now."))
        return value


class CheckInForm(BaseModel):
    level: int | None = Field(default=None, ge=-2, le=2, validate_default=True)
    note: str = Field(default="", max_length=1000)

    @field_validator("level")
    @classmethod
    def chosen(cls, value: int | None) -> int:
        if value is None:
            raise ValueError(lazy_gettext("Choose how the goal is going now."))
        return value


class StatusForm(BaseModel):
    status: GoalStatus
    reason: str = Field(default="", max_length=1000, validate_default=True)

    @field_validator("reason")
    @classmethod
    def reason_needed(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("status") in (GoalStatus.changed, GoalStatus.dropped) and not value:
            raise ValueError(lazy_gettext("Write in a few words why you close the goal."))
        return value


class NotYourGoal(Forbidden):
    default_text = lazy_gettext("This goal belongs to someone else.")


class GoalClosed(AppError):
    status_code = 409

    default_text = lazy_gettext("This goal is closed. Write a new goal to continue.")


def _apply(goal: Goal, data: GoalForm) -> None:
    goal.what, goal.why, goal.steps, goal.evidence = data.what, data.why, data.steps, data.evidence
    goal.levels = {level: getattr(data, key) for key, level in LEVEL_KEYS.items()}
    goal.baseline_level = data.baseline_level
    goal.target_level = data.target_level


def form_values(goal: Goal) -> dict[str, object]:
    values: dict[str, object] = {
        "what": goal.what,
        "why": goal.why,
        "steps": goal.steps,
        "evidence": goal.evidence,
        "baseline_level": goal.baseline_level,
        "target_level": goal.target_level,
    }
    values.update({key: goal.levels.get(level, "") for key, level in LEVEL_KEYS.items()})
    return values


def create(session: Session, actor: Actor, data: GoalForm) -> Goal:
    goal = Goal(
        client_id=actor.subject_id,
        what=data.what,
        created_by_id=actor.user_id,
        with_assistant=actor.on_behalf_of is not None,
    )
    _apply(goal, data)
    audit.record_saved(session, actor, AuditAction.create, CATEGORY, goal, "goal")
    return goal


def own_goal(session: Session, actor: Actor, goal_id: int) -> Goal:
    """The client's own goal; someone else's is refused (403) and audit-logged."""
    return own_or_refuse(session, actor, own_goals(actor), goal_id, CATEGORY, NotYourGoal)


def update(session: Session, actor: Actor, goal: Goal, data: GoalForm) -> None:
    if goal.status != GoalStatus.active:
        raise GoalClosed()
    _apply(goal, data)
    goal.updated_at = utcnow()
    audit.record_saved(session, actor, AuditAction.update, CATEGORY, goal, "goal")


def check_in(session: Session, actor: Actor, goal: Goal, data: CheckInForm) -> GoalCheckIn:
    if goal.status != GoalStatus.active:
        raise GoalClosed()
    entry = GoalCheckIn(
        goal_id=goal.id,  # type: ignore[arg-type]
        level=data.level,
        note=data.note,
        recorded_by_id=actor.user_id,
        with_assistant=actor.on_behalf_of is not None,
    )
    audit.record_saved(session, actor, AuditAction.create, CATEGORY, entry, "goal_check_in")
    return entry


def set_status(session: Session, actor: Actor, goal: Goal, data: StatusForm) -> None:
    if goal.status != GoalStatus.active:
        raise GoalClosed()
    goal.status = data.status
    goal.status_reason = data.reason or None
    goal.closed_at = None if data.status == GoalStatus.active else utcnow()
    audit.record_saved(
        session,
        actor,
        AuditAction.update,
        CATEGORY,
        goal,
        "goal",
        details={"status": str(data.status)},
    )


def link_plan_line(session: Session, actor: Actor, goal: Goal, plan_line_id: int) -> GoalPlanLink:
    """'This service helps me with this goal' (used by the budget plan)."""
    link = GoalPlanLink(goal_id=goal.id, plan_line_id=plan_line_id)  # type: ignore[arg-type]
    audit.record_saved(session, actor, AuditAction.create, CATEGORY, link, "goal_plan_link")
    return link


def check_ins(session: Session, goal_ids: list[int]) -> dict[int, list[GoalCheckIn]]:
    rows = session.exec(
        select(GoalCheckIn)
        .where(col(GoalCheckIn.goal_id).in_(goal_ids))
        .order_by(col(GoalCheckIn.recorded_at), col(GoalCheckIn.id))
    ).all()
    found: dict[int, list[GoalCheckIn]] = {gid: [] for gid in goal_ids}
    for row in rows:
        found[row.goal_id].append(row)
    return found


def current_level(goal: Goal, entries: list[GoalCheckIn]) -> int:
    return entries[-1].level if entries else goal.baseline_level


def goals_of(session: Session, actor: Actor, client_id: int) -> list[Goal]:
    return list(
        session.exec(
            readable_goals(actor)
            .where(Goal.client_id == client_id)
            .order_by(col(Goal.status) != GoalStatus.active, col(Goal.created_at).desc())
        ).all()
    )


class Progress(NamedTuple):
    """How many of the goals that count are going as hoped or better, of how many."""

    as_hoped: int
    total: int


def progress_for(goals: list[Goal], entries: dict[int, list[GoalCheckIn]]) -> Progress:
    """The client's progress in words, over the same fixed set of goals as the T-score
    (active and achieved): an achieved goal counts as reached; an active one by its newest
    check-in against "as hoped" (level 0)."""
    scored = [g for g in goals if g.status in SCORED and g.id is not None]
    met = sum(
        1
        for g in scored
        if g.status == GoalStatus.achieved or current_level(g, entries.get(g.id, [])) >= 0  # type: ignore[arg-type]
    )
    return Progress(met, len(scored))


def t_score_for(goals: list[Goal], entries: dict[int, list[GoalCheckIn]]) -> float | None:
    """The client's GAS T-score over active and achieved goals (None without goals)."""
    scored = [g for g in goals if g.status in SCORED and g.id is not None]
    if not scored:
        return None
    levels = [current_level(g, entries.get(g.id, [])) for g in scored]  # type: ignore[arg-type]
    return gas.t_score(levels, [g.weight for g in scored])


def client_t_score(session: Session, actor: Actor, client_id: int) -> float | None:
    """The client's GAS T-score from the goals the actor may read and their check-ins."""
    found = goals_of(session, actor, client_id)
    return t_score_for(found, check_ins(session, [g.id for g in found if g.id]))


def level_choices() -> tuple[int, ...]:
    return GAS_LEVELS
