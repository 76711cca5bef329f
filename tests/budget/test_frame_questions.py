"""The frame's precision (A/B) and teaming (C) are two separate questions (seed 004): the
worker answers both outside the experiment; inside it both come from the randomisation; old
budgets stored with the exclusive arm "C" keep their data through migration 0018."""

from __future__ import annotations

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from app.migrate import alembic_config
from app.models.budget import Budget, ExperimentArm
from app.models.research import Experiment
from app.models.user import User
from app.services.budget import frames
from app.services.research import consent, experiment
from tests.support.budget_world import PERIOD, build
from tests.support.web import form_post, login_as


def _frame(
    arm: ExperimentArm, teaming: bool, shares: dict[int, int] | None = None
) -> frames.FrameInput:  # noqa: E501
    return frames.FrameInput(100_000, arm, shares or {}, "test", *PERIOD, teaming=teaming)


def test_outside_the_experiment_the_two_answers_are_independent(session: Session) -> None:
    world = build(session, code="two")
    worker = world.actor(world.case_worker)
    cid = world.client.id
    assert cid is not None
    budget = frames.set_frame(session, worker, cid, _frame(ExperimentArm.a, True))
    assert (budget.arm, budget.teaming) == (ExperimentArm.a, True)  # total only, convened
    shares = {world.categories[0].id: 5_000}
    budget = frames.set_frame(session, worker, cid, _frame(ExperimentArm.b, False, shares))  # type: ignore[arg-type]
    assert (budget.arm, budget.teaming) == (ExperimentArm.b, False) and budget.shares_bp


def test_inside_the_experiment_both_arms_come_from_the_allocation(session: Session) -> None:
    world = build(session, code="alloc")
    cid = world.client.id
    assert cid is not None
    session.add(
        Experiment(
            organiser_id=world.organiser.id,  # type: ignore[arg-type]
            name="Koe", frame_arms=["A", "B"], teaming_arms=["C", "none"], block_size=4,
            seed="fixed", created_by_id=world.case_worker.id,  # type: ignore[arg-type]
        )
    )  # fmt: skip
    session.flush()
    consent.set_own(session, world.actor(world.client), True)
    allocation = experiment.enrol(session, world.actor(world.case_worker), cid)
    wrong_arm = ExperimentArm.b if allocation.frame_arm == "A" else ExperimentArm.a
    form = _frame(wrong_arm, not allocation.teaming)  # the form says the opposite of both
    budget = frames.set_frame(session, world.actor(world.case_worker), cid, form)
    assert (budget.arm.value, budget.teaming) == (allocation.frame_arm, allocation.teaming)


def test_the_worker_form_asks_two_questions_without_research_words(
    client: TestClient, demo: None, session: Session
) -> None:
    erik = session.exec(select(User).where(User.dev_persona == "client-sv")).one()
    session.commit()
    login_as(client, "case-worker")
    page = client.get(f"/asiakkaat/{erik.id}/budjetti")
    assert page.status_code == 200
    form = page.text.split(f'action="/asiakkaat/{erik.id}/budjetti/raami"')[1].split("</form>")[0]
    precision = form.split('id="f-arm"')[1].split("</select>")[0]
    assert 'value="A"' in precision and 'value="B"' in precision and 'value="C"' not in precision
    assert 'type="checkbox" id="f-teaming" name="teaming"' in form
    for word in ("Koeryhmä", "koeryhmä", "Försöksgrupp", "ryhmä A", "ryhmä C"):
        assert word not in form
    saved = form_post(
        client,
        f"/asiakkaat/{erik.id}/budjetti/raami",
        {
            "frame": "2 000",
            "arm": "A",
            "teaming": "true",
            "reason": "Ensimmäinen raami",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert saved.status_code == 303, saved.text
    budget = session.exec(select(Budget).where(Budget.client_id == erik.id)).one()
    session.commit()
    assert (budget.arm, budget.teaming) == (ExperimentArm.a, True)
    # The old exclusive choice "C" is no longer a precision.
    refused = form_post(
        client,
        f"/asiakkaat/{erik.id}/budjetti/raami",
        {"frame": "2 000", "arm": "C", "reason": "x", "period_start": "2026-01-01",
         "period_end": "2026-12-31"},
    )  # fmt: skip
    assert refused.status_code == 422


def test_migration_maps_old_c_rows_to_precision_and_teaming(db_url: str, session: Session) -> None:
    world = build(session, code="mig")
    worker = world.actor(world.case_worker)
    shares = {world.categories[0].id: 5_000}
    budget = frames.set_frame(
        session, worker, world.client.id, _frame(ExperimentArm.b, True, shares)
    )  # type: ignore[arg-type]  # noqa: E501
    session.commit()
    budget_id = budget.id
    session.close()
    session.get_bind().dispose()  # type: ignore[union-attr]
    cfg = alembic_config(db_url)
    command.downgrade(cfg, "0017_disputes")
    with session.get_bind().connect() as conn:  # type: ignore[union-attr]
        assert (
            conn.execute(text("SELECT arm FROM budget WHERE id = :id"), {"id": budget_id}).scalar()
            == "C"
        )
        # A second old "C" budget without shares (for another person: one budget a period).
        columns = "created_at, updated_at, organiser_id, period_start, period_end"
        conn.execute(
            text(
                f"INSERT INTO budget ({columns}, client_id, arm, frame_cents, shares_bp, "
                f"frame_version) SELECT {columns}, :other, 'C', 0, '{{}}', 1 FROM budget "
                "WHERE id = :id"
            ),
            {"other": world.case_worker.id, "id": budget_id},
        )
        conn.commit()
    command.upgrade(cfg, "head")
    with session.get_bind().connect() as conn:  # type: ignore[union-attr]
        rows = conn.execute(text("SELECT client_id, arm, teaming FROM budget ORDER BY id")).all()
    by_client = {r[0]: (r[1], bool(r[2])) for r in rows}
    assert by_client[world.client.id] == ("B", True)  # it had shares: B, and convened
    assert by_client[world.case_worker.id] == ("A", True)  # no shares: A, and convened
