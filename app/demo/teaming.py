"""Demo teaming meetings (arm C) and the demo organiser's impact model.

Aino's budget convenes its providers: the meeting before use is held with minutes and the
providers' answers, the one after deployment is scheduled. The synthetic cohort's arm-C
clients get their checkpoints (mostly on time, some late, some missing), so the arm
comparison has figures. Idempotent: nothing is added when any checkpoint exists."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from app.demo.bulk import insert_rows
from app.demo.identity import actor_of, provider_actor
from app.models.budget import Budget
from app.models.teaming import TeamingCheckpoint
from app.models.user import Membership, Role, User
from app.repositories.budget import newest_first
from app.services.research import teaming

MINUTES = (
    "Paikalla asiakas, omatyöntekijä ja palveluntuottajat. Sovittiin, että siivous on "
    "tiistaisin ja fysioterapia torstaisin, ja tuottajat kertovat muutoksista toisilleen.\n"
    "Närvarande: klienten, egen arbetstagare och producenterna."
)


def _aino(session: Session, today: date) -> None:
    aino = session.exec(select(User).where(User.dev_persona == "client")).first()
    worker = session.exec(select(User).where(User.dev_persona == "case-worker")).first()
    if aino is None or worker is None:
        return
    budget = session.exec(newest_first(select(Budget).where(Budget.client_id == aino.id))).first()
    if budget is None or teaming.plan_providers(session, budget) == []:
        return
    budget.teaming = True
    session.add(budget)
    session.flush()
    actor = actor_of(session, worker)
    assert aino.id is not None
    teaming.schedule(session, actor, aino.id, 1, today, "Järvimaan sosiaalitoimisto, huone 2")
    for provider in teaming.plan_providers(session, budget):
        member = provider_actor(session, provider.id)  # type: ignore[arg-type]
        for shown in teaming.invitations(session, member) if member else []:
            if shown.client_id == aino.id and member is not None:
                teaming.answer(session, member, shown.id, attending=True)
    teaming.mark_held(session, actor, aino.id, 1, today, MINUTES, today)
    teaming.schedule(session, actor, aino.id, 2, today + timedelta(days=30), "Teams")


def _cohort(session: Session, today: date) -> None:
    """Checkpoint rows for the synthetic arm-C clients, in one insert."""
    budgets = session.exec(
        select(Budget)
        .join(User, col(User.id) == col(Budget.client_id))
        .where(col(Budget.teaming), col(User.is_synthetic))
    ).all()
    if not budgets:
        return
    workers = dict(
        session.exec(
            select(Membership.user_id, Membership.case_worker_id).where(
                col(Membership.user_id).in_([b.client_id for b in budgets]),
                Membership.role == Role.client,
            )
        ).all()
    )
    anchors = teaming.anchors_of(session, [b.id for b in budgets if b.id is not None])
    rows = []
    for budget in budgets:
        worker = workers.get(budget.client_id)
        assert budget.id is not None
        if worker is None:
            continue
        for n, c in enumerate(teaming.checkpoints_of(budget, anchors[budget.id], [], today)):
            if c.due is None:
                continue
            draw = (budget.client_id * 7 + n * 3) % 10
            row = {
                "budget_id": budget.id,
                "client_id": budget.client_id,
                "stage": c.stage,
                "scheduled_by_id": worker,
            }
            if c.due < today:
                if draw == 9:
                    continue  # missing
                held = c.due + timedelta(days=10) if draw in (7, 8) else c.due - timedelta(days=3)
                held = min(held, today)
                rows.append(
                    row
                    | {
                        "meets_on": held,
                        "held_on": held,
                        "held_recorded_by_id": worker,
                        "minutes": "Tiimipalaveri pidetty. / Teammöte hållet.",
                    }
                )
            elif draw < 5:
                rows.append(row | {"meets_on": c.due - timedelta(days=2)})
    insert_rows(session, TeamingCheckpoint, rows)


def load_teaming(session: Session) -> None:
    if session.exec(select(TeamingCheckpoint.id)).first() is not None:
        return
    today = date.today()
    _aino(session, today)
    _cohort(session, today)
    session.flush()
