"""What a case worker sees of their own clients' self-assessments and goals (audit-logged)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from app.errors import NotFound
from app.models.actor import Actor
from app.models.assessment import Assessment
from app.models.audit import AuditAction
from app.models.goal import Goal, GoalCheckIn
from app.models.user import User
from app.services import audit
from app.services.assessment import assessments, goals, results
from app.services.assessment.instruments import Texts
from app.services.identity.mandates import in_caseload


@dataclass
class ClientOverview:
    client: User
    assessments: list[Assessment]
    goals: list[Goal]
    entries: dict[int, list[GoalCheckIn]] = field(default_factory=dict)
    levels: dict[int, int] = field(default_factory=dict)
    t_score: float | None = None


def _client(session: Session, actor: Actor, client_id: int) -> User:
    in_caseload(session, actor, client_id)
    client = session.get(User, client_id)
    if client is None:
        raise NotFound()
    return client


def client_overview(session: Session, actor: Actor, client_id: int) -> ClientOverview:
    client = _client(session, actor, client_id)
    found = assessments.submitted_of_client(session, actor, client_id)
    client_goals = goals.goals_of(session, actor, client_id)
    entries = goals.check_ins(session, [g.id for g in client_goals if g.id])
    for category, record_type in (("assessment", "assessment_list"), ("goal", "goal_list")):
        audit.record(
            session,
            actor,
            AuditAction.read,
            category,
            subject_id=client_id,
            record_type=record_type,
            record_id=client_id,
        )
    return ClientOverview(
        client=client,
        assessments=found,
        goals=client_goals,
        entries=entries,
        levels={g.id: goals.current_level(g, entries[g.id]) for g in client_goals if g.id},
        t_score=goals.t_score_for(client_goals, entries),
    )


@dataclass
class CareSummary:
    """Beside the plan the worker decides: the latest sent self-assessment (its title and
    domain results) and the goals with where each stands now."""

    latest: results.Results | None
    goals: list[Goal]
    levels: dict[int, int]


def care_summary(session: Session, actor: Actor, client_id: int, locale: str) -> CareSummary:
    """The client's latest assessment summary and goals (reads logged as the overview's)."""
    view = client_overview(session, actor, client_id)
    latest = view.assessments[0] if view.assessments else None
    built = results.build(session, latest, locale) if latest is not None else None
    return CareSummary(
        latest=built,
        goals=view.goals,
        levels=view.levels,
    )


def assessment(session: Session, actor: Actor, assessment_id: int) -> Assessment:
    return assessments.readable_assessment(session, actor, assessment_id)


def title_of(assessment: Assessment) -> Texts:
    return assessments.instrument_of(assessment).title
