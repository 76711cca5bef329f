"""The client's personal goals: write, check in, close with a reason."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app import navigation
from app.deps import ClientAssessments, ClientView, DbSession
from app.forms import parse_form
from app.i18n import lazy_gettext
from app.models.goal import Goal, GoalStatus
from app.models.user import Role
from app.routes.formdata import PostedForm
from app.routes.responses import done
from app.services.assessment import goals
from app.services.assessment.goals import CheckInForm, GoalForm, StatusForm
from app.templating import render

router = APIRouter(prefix="/oma/tavoitteet")
navigation.register("/oma/tavoitteet", lazy_gettext("My goals"), {Role.client}, 21)

BASE = "/oma/tavoitteet"


@router.get("")
def goal_list(request: Request, session: DbSession, actor: ClientView) -> Response:
    items = goals.goals_of(session, actor, actor.subject_id)
    entries = goals.check_ins(session, [g.id for g in items if g.id])
    return render(
        request,
        "assessment/client/goals.html",
        {
            "goals": items,
            "levels": {g.id: goals.current_level(g, entries[g.id]) for g in items if g.id},
            "t_score": goals.t_score_for(items, entries),
        },
    )


def _form(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str],
    goal: Goal | None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "assessment/client/goal_form.html",
        {"values": values, "errors": errors, "goal": goal, "level_choices": goals.level_choices()},
        status_code=status,
    )


@router.get("/uusi")
def new_goal(request: Request, actor: ClientAssessments) -> Response:
    return _form(request, {"baseline_level": -1, "target_level": 0}, {}, None)


@router.post("/uusi")
def create_goal(
    request: Request, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    values, data, errors = parse_form(GoalForm, form)
    if data is None:
        return _form(request, values, errors, None, 422)
    goal = goals.create(session, actor, data)
    return done(request, f"{BASE}/{goal.id}")


@router.get("/{goal_id}")
def goal_detail(request: Request, goal_id: int, session: DbSession, actor: ClientView) -> Response:
    goal = goals.own_goal(session, actor, goal_id)
    return _detail(request, session, goal, {}, {})


def _detail(
    request: Request,
    session: Session,
    goal: Goal,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    entries = goals.check_ins(session, [goal.id])[goal.id]  # type: ignore[index]
    return render(
        request,
        "assessment/client/goal_detail.html",
        {
            "goal": goal,
            "entries": entries,
            "current": goals.current_level(goal, entries),
            "values": values,
            "errors": errors,
            "level_choices": goals.level_choices(),
            "statuses": [s for s in GoalStatus if s != GoalStatus.active],
        },
        status_code=status,
    )


@router.post("/{goal_id}/kirjaus")
def add_check_in(
    request: Request, goal_id: int, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    goal = goals.own_goal(session, actor, goal_id)
    values, data, errors = parse_form(CheckInForm, form)
    if data is None:
        return _detail(request, session, goal, values, errors, 422)
    goals.check_in(session, actor, goal, data)
    return done(request, f"{BASE}/{goal.id}")


@router.get("/{goal_id}/muokkaa")
def edit_goal(
    request: Request, goal_id: int, session: DbSession, actor: ClientAssessments
) -> Response:
    goal = goals.own_goal(session, actor, goal_id)
    return _form(request, goals.form_values(goal), {}, goal)


@router.post("/{goal_id}/muokkaa")
def update_goal(
    request: Request, goal_id: int, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    goal = goals.own_goal(session, actor, goal_id)
    values, data, errors = parse_form(GoalForm, form)
    if data is None:
        return _form(request, values, errors, goal, 422)
    goals.update(session, actor, goal, data)
    return done(request, f"{BASE}/{goal.id}")


@router.post("/{goal_id}/tila")
def close_goal(
    request: Request, goal_id: int, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    goal = goals.own_goal(session, actor, goal_id)
    values, data, errors = parse_form(StatusForm, form)
    if data is None:
        return _detail(request, session, goal, values, errors, 422)
    goals.set_status(session, actor, goal, data)
    return done(request, f"{BASE}/{goal.id}")
