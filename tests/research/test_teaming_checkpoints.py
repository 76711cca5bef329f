"""Teaming checkpoints (arm C of seed 004): due dates from the budget's dates, statuses, the
worker schedules and every provider of the plan is invited, the provider answers, the worker
marks it held with minutes; only the named worker and only invited providers; the reminder
job; the arm comparison's counts with small cells suppressed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.errors import NotFound
from app.models.budget import ExperimentArm
from app.models.notification import Notification
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.teaming import InvitationAnswer, TeamingStage
from app.models.user import Role
from app.services.budget import frames, plan
from app.services.notifications.kinds import Kind
from app.services.research import teaming, teaming_reminders, teaming_report
from app.services.research.teaming_rules import Anchors, Status, due_on, remind, status
from tests.support.budget_world import PERIOD, TODAY, build, user

CONFIRMED = date(2026, 3, 2)


def test_teaming_checkpoints_due_dates_follow_the_budget_dates() -> None:
    anchors = Anchors(confirmed_on=CONFIRMED, first_delivery_on=date(2026, 3, 20))
    assert due_on(TeamingStage.before_use, anchors) == date(2026, 3, 16)
    assert due_on(TeamingStage.after_deployment, anchors) == date(2026, 5, 1)
    assert due_on(TeamingStage.impact_evaluation, anchors) == date(2027, 4, 1)
    nothing = Anchors(None, None)
    assert all(due_on(s, nothing) is None for s in TeamingStage)


@pytest.mark.parametrize(
    ("held", "today", "expected"),
    [
        (date(2026, 3, 10), date(2026, 4, 1), Status.on_time),
        (date(2026, 3, 16), date(2026, 4, 1), Status.on_time),  # the due day itself
        (date(2026, 3, 17), date(2026, 4, 1), Status.late),
        (None, date(2026, 3, 16), Status.not_due),
        (None, date(2026, 3, 17), Status.missing),
    ],
)
def test_teaming_checkpoints_status(held, today, expected) -> None:
    assert status(date(2026, 3, 16), held, today) is expected


def test_teaming_checkpoints_status_without_a_due_date_is_not_due() -> None:
    assert status(None, None, date(2030, 1, 1)) is Status.not_due
    assert remind(date(2026, 3, 16), None, date(2026, 3, 2))
    assert not remind(date(2026, 3, 16), None, date(2026, 3, 1))
    assert not remind(date(2026, 3, 16), date(2026, 3, 3), date(2026, 3, 10))


def _world(session: Session, *, teaming_arm: bool = True, providers: int = 2):
    world = build(session, code="team")
    worker = world.actor(world.case_worker)
    data = frames.FrameInput(
        frame_cents=500_000,
        arm=ExperimentArm.a,
        teaming=teaming_arm,
        shares_bp={},
        reason="test",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
    )
    budget = frames.set_frame(session, worker, world.client.id, data)  # type: ignore[arg-type]
    client = world.actor(world.client)
    others = []
    for n in range(providers - 1):
        other = Provider(name=f"Toinen {n} Oy", business_id=f"765432{n}-1")
        session.add(other)
        session.flush()
        session.add(
            ProviderApproval(
                provider_id=other.id,  # type: ignore[arg-type]
                organiser_id=world.organiser.id,  # type: ignore[arg-type]
                status=ApprovalStatus.approved,
            )
        )
        others.append(other)
    plan.add_line(session, client, budget, world.offer(2_000).id, 2, 1, TODAY)  # type: ignore[arg-type]
    for other in others:
        offer = world.offer(3_000, provider=other)
        plan.add_line(session, client, budget, offer.id, 1, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(session, client, budget, "")
    plan.confirm(session, worker, budget, "ok")
    return world, worker, budget, others


def test_teaming_checkpoints_worker_schedules_invites_and_marks_held(session: Session) -> None:
    world, worker, budget, others = _world(session)
    cid = world.client.id
    today = date.today()
    view = teaming.client_view(session, worker, cid, today)  # type: ignore[arg-type]
    assert view.teaming and len(view.providers) == 2
    first = view.checkpoints[0]
    assert first.stage is TeamingStage.before_use
    assert first.due == today + timedelta(days=14)  # the plan was confirmed today
    assert first.status is Status.not_due
    assert view.checkpoints[1].due is None  # no delivery yet

    record = teaming.schedule(session, worker, cid, 1, today + timedelta(days=3), "Teams")  # type: ignore[arg-type]
    notices = session.exec(
        select(Notification).where(Notification.kind == Kind.teaming_invited)
    ).all()
    told = {n.user_id for n in notices}
    assert world.provider_user.id in told
    assert all(n.link and n.link.startswith("/tuottaja/tiimiytys/") for n in notices)

    member = world.actor(world.provider_user)
    invitations = teaming.invitations(session, member)
    assert [i.stage for i in invitations] == [TeamingStage.before_use]
    teaming.answer(session, member, invitations[0].id, attending=True)
    view = teaming.client_view(session, worker, cid, today)  # type: ignore[arg-type]
    answers = {i.provider: i.answer for i in view.checkpoints[0].invited}
    assert answers["Tuottaja Oy"] == InvitationAnswer.attending
    assert answers["Toinen 0 Oy"] == InvitationAnswer.waiting

    with pytest.raises(teaming.HeldInFuture):
        teaming.mark_held(session, worker, cid, 1, today + timedelta(days=1), "x", today)  # type: ignore[arg-type]
    teaming.mark_held(session, worker, cid, 1, today, "Sovittiin työnjaosta.", today)  # type: ignore[arg-type]
    assert record.held_on == today and record.minutes == "Sovittiin työnjaosta."
    view = teaming.client_view(session, worker, cid, today)  # type: ignore[arg-type]
    assert view.checkpoints[0].status is Status.on_time
    assert all(n.resolved_at is not None for n in notices)  # held: the invitations are handled
    with pytest.raises(teaming.AlreadyHeld):
        teaming.schedule(session, worker, cid, 1, today, "")  # type: ignore[arg-type]
    with pytest.raises(teaming.AlreadyHeld):
        teaming.answer(session, member, invitations[0].id, attending=False)


def test_teaming_checkpoints_moving_the_meeting_asks_again(session: Session) -> None:
    world, worker, _budget, _others = _world(session)
    cid = world.client.id
    today = date.today()
    teaming.schedule(session, worker, cid, 1, today + timedelta(days=3), "")  # type: ignore[arg-type]
    member = world.actor(world.provider_user)
    invitation = teaming.invitations(session, member)[0]
    teaming.answer(session, member, invitation.id, attending=True)
    teaming.schedule(session, worker, cid, 1, today + timedelta(days=5), "")  # type: ignore[arg-type]
    assert teaming.invitation(session, member, invitation.id).answer == InvitationAnswer.waiting
    keys = session.exec(
        select(Notification.dedup_key).where(Notification.user_id == world.provider_user.id)
    ).all()
    assert sum(k.startswith("teaming_invited:") for k in keys) == 2


def test_teaming_checkpoints_need_arm_c_and_a_schedule(session: Session) -> None:
    world, worker, _budget, _others = _world(session, teaming_arm=False)
    cid = world.client.id
    with pytest.raises(teaming.NotTeaming):
        teaming.schedule(session, worker, cid, 1, date.today(), "")  # type: ignore[arg-type]
    assert not teaming.client_view(session, worker, cid, date.today()).teaming  # type: ignore[arg-type]


def test_teaming_checkpoints_held_needs_a_schedule(session: Session) -> None:
    world, worker, _budget, _others = _world(session)
    with pytest.raises(teaming.NotScheduled):
        teaming.mark_held(session, worker, world.client.id, 2, date.today(), "x", date.today())  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        teaming.schedule(session, worker, world.client.id, 4, date.today(), "")  # type: ignore[arg-type]


def test_teaming_checkpoints_only_the_named_worker_and_invited_providers(session: Session) -> None:
    world, worker, _budget, others = _world(session, providers=1)
    cid = world.client.id
    stranger = user(session, "Outi", Role.case_worker, organiser_id=world.organiser.id)
    with pytest.raises(NotFound):
        teaming.client_view(session, world.actor(stranger), cid, date.today())  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        teaming.schedule(session, world.actor(stranger), cid, 1, date.today(), "")  # type: ignore[arg-type]
    teaming.schedule(session, worker, cid, 1, date.today(), "")  # type: ignore[arg-type]
    invitation = teaming.invitations(session, world.actor(world.provider_user))[0]
    outsider_provider = Provider(name="Ulkopuolinen Oy", business_id="1111111-1")
    session.add(outsider_provider)
    session.flush()
    outsider = user(session, "Ulla", Role.provider_owner, provider_id=outsider_provider.id)
    assert teaming.invitations(session, world.actor(outsider)) == []
    with pytest.raises(NotFound):
        teaming.answer(session, world.actor(outsider), invitation.id, attending=True)


def test_teaming_checkpoints_reminder_job_tells_the_worker_once(session: Session) -> None:
    world, _worker, _budget, _others = _world(session)
    now = datetime.now(UTC)
    assert teaming_reminders.store_reminders(session, now) == 1  # before use, due in 14 days
    assert teaming_reminders.store_reminders(session, now) == 1
    notes = session.exec(select(Notification).where(Notification.kind == Kind.teaming_due)).all()
    assert [n.user_id for n in notes] == [world.case_worker.id]
    assert notes[0].link == f"/asiakkaat/{world.client.id}/tiimiytys/1"
    worker = world.actor(world.case_worker)
    teaming.schedule(session, worker, world.client.id, 1, date.today(), "")  # type: ignore[arg-type]
    session.refresh(notes[0])
    assert notes[0].resolved_at is not None
    assert teaming_reminders.store_reminders(session, now) == 0


def test_teaming_checkpoints_arm_counts_are_suppressed_below_five() -> None:
    arms = {i: i < 6 for i in range(9)}  # six in C, three not C
    statuses = {i: {TeamingStage.before_use: Status.on_time} for i in range(6)}
    section = teaming_report.count(arms, statuses)
    assert section.n["C"].value == 6
    assert section.n["none"].suppressed  # three clients
    assert section.cells[("C", TeamingStage.before_use, Status.on_time)].value == 6
    assert section.cells[("C", TeamingStage.before_use, Status.missing)].value == 0
    assert section.cells[("none", TeamingStage.before_use, Status.not_due)].suppressed
    assert section.cells[("C", TeamingStage.after_deployment, Status.not_due)].value == 6
    assert replace(section.cells[("C", TeamingStage.before_use, Status.late)]).value == 0
