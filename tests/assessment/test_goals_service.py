"""Goals: the client's T-score over open and achieved goals; goal ↔ plan line links."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.models.actor import Actor
from app.models.goal import Goal, GoalCheckIn, GoalStatus
from app.models.user import Membership, Role, User
from app.services.assessment import goals


def _goal(level_now: int | None, status: GoalStatus = GoalStatus.active, gid: int = 1):
    goal = Goal(id=gid, client_id=1, what="x", baseline_level=-2, status=status)
    entries = [GoalCheckIn(goal_id=gid, level=level_now)] if level_now is not None else []
    return goal, entries


def test_t_score_uses_latest_level_and_skips_dropped_and_changed_goals():
    a, a_entries = _goal(1, gid=1)  # latest check-in +1
    b, b_entries = _goal(None, GoalStatus.achieved, gid=2)  # no check-ins: the baseline -2
    c, c_entries = _goal(2, GoalStatus.dropped, gid=3)  # not counted
    score = goals.t_score_for([a, b, c], {1: a_entries, 2: b_entries, 3: c_entries})
    # levels (1, -2): 50 + 10*(-1)/sqrt(0.7*2 + 0.3*4) = 50 - 6.20
    assert score == 43.8
    assert goals.t_score_for([c], {3: c_entries}) is None


def test_goal_links_to_a_plan_line_once(session: Session):
    user = User(display_name="Asiakas")
    session.add(user)
    session.flush()
    actor = Actor(user=user, memberships=(Membership(user_id=user.id, role=Role.client),))
    data = goals.GoalForm(what="Ulkoilen", baseline_level=-1, target_level=0)
    goal = goals.create(session, actor, data)
    link = goals.link_plan_line(session, actor, goal, 42)
    assert link.goal_id == goal.id and link.plan_line_id == 42
    with pytest.raises(IntegrityError):
        goals.link_plan_line(session, actor, goal, 42)
