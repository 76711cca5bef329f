"""The client's personal goals: write, check in, close with a reason."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar, Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlmodel import Session

from app import navigation
from app.deps import ClientAssessments, ClientView, DbSession
from app.forms import Id
from app.i18n import lazy_gettext
from app.models.goal import Goal, GoalStatus
from app.models.user import Role
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, post_form, render_form
from app.services.assessment import goals
from app.services.assessment.goals import CheckInForm, GoalForm, StatusForm
from app.templating import render

router = APIRouter(prefix="/oma/tavoitteet")
navigation.register(
    "/oma/tavoitteet", lazy_gettext("My goals"), {Role.client}, 30, group=navigation.MORE
)

BASE = "/oma/tavoitteet"
M = TypeVar("M", bound=BaseModel)


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
            "progress": goals.progress_for(items, entries),
        },
    )


def _form(request: Request, goal: Goal | None = None, **shown: Unpack[FormShown]) -> Response:
    context = {"goal": goal, "level_choices": goals.level_choices()}
    return render_form(request, "assessment/client/goal_form.html", context, **shown)


@router.get("/uusi")
def new_goal(request: Request, actor: ClientAssessments) -> Response:
    return _form(request, values={"baseline_level": -1, "target_level": 0})


@router.post("/uusi")
def create_goal(
    request: Request, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    return post_form(
        request,
        form,
        GoalForm,
        act=lambda data: goals.create(session, actor, data),
        then=lambda goal: f"{BASE}/{goal.id}",
        again=partial(_form, request),
    )


@router.get("/{goal_id}")
def goal_detail(request: Request, goal_id: Id, session: DbSession, actor: ClientView) -> Response:
    goal = goals.own_goal(session, actor, goal_id)
    return _detail(request, session, goal)


def _detail(request: Request, session: Session, goal: Goal, **shown: Unpack[FormShown]) -> Response:
    entries = goals.check_ins(session, [goal.id])[goal.id]  # type: ignore[index]
    context = {
        "goal": goal,
        "entries": entries,
        "current": goals.current_level(goal, entries),
        "level_choices": goals.level_choices(),
        "statuses": [s for s in GoalStatus if s != GoalStatus.active],
    }
    return render_form(request, "assessment/client/goal_detail.html", context, **shown)


def _detail_post(
    request: Request,
    session: Session,
    actor: ClientAssessments,
    goal_id: int,
    posted: PostedForm,
    model: type[M],
    act: Callable[[Session, ClientAssessments, Goal, M], object],
) -> Response:
    """A post on the page of one of the client's own goals: `act(session, actor, goal, data)`
    and back to the goal, or the page again with the errors."""
    goal = goals.own_goal(session, actor, goal_id)
    return post_form(
        request,
        posted,
        model,
        act=lambda data: act(session, actor, goal, data),
        then=f"{BASE}/{goal.id}",
        again=partial(_detail, request, session, goal),
    )


@router.post("/{goal_id}/kirjaus")
def add_check_in(
    request: Request, goal_id: Id, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    return _detail_post(request, session, actor, goal_id, form, CheckInForm, goals.check_in)


@router.get("/{goal_id}/muokkaa")
def edit_goal(
    request: Request, goal_id: Id, session: DbSession, actor: ClientAssessments
) -> Response:
    goal = goals.own_goal(session, actor, goal_id)
    return _form(request, goal, values=goals.form_values(goal))


@router.post("/{goal_id}/muokkaa")
def update_goal(
    request: Request, goal_id: Id, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    goal = goals.own_goal(session, actor, goal_id)
    return post_form(
        request,
        form,
        GoalForm,
        act=lambda data: goals.update(session, actor, goal, data),
        then=f"{BASE}/{goal.id}",
        again=partial(_form, request, goal),
    )


@router.post("/{goal_id}/tila")
def close_goal(
    request: Request, goal_id: Id, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    return _detail_post(request, session, actor, goal_id, form, StatusForm, goals.set_status)
