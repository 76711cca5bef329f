"""Consent history and who may change it; enrolment, concealment and the arm of the budget."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models.actor import Actor, MandateScope
from app.models.budget import ExperimentArm
from app.models.research import Experiment
from app.models.user import Role
from app.services.research import consent, experiment, randomisation
from tests.support.budget_world import build, user


def _experiment(session: Session, organiser_id: int, creator: int) -> Experiment:
    found = Experiment(
        organiser_id=organiser_id,
        name="Koe",
        frame_arms=["A", "B"],
        teaming_arms=["C", "none"],
        block_size=4,
        seed="fixed-seed",
        created_by_id=creator,
    )
    session.add(found)
    session.flush()
    return found


def test_consent_history_is_versioned_and_only_the_client_changes_it(session: Session):
    world = build(session, code="cons")
    client = world.actor(world.client)
    assert consent.current(session, world.client.id) is None  # type: ignore[arg-type]
    consent.set_own(session, client, True)
    consent.set_own(session, client, False)
    worker = world.actor(world.case_worker)
    consent.record_paper(session, worker, world.client.id, True, "arkistossa")  # type: ignore[arg-type]
    history = consent.history(session, world.client.id)  # type: ignore[arg-type]
    assert [(e.version, e.given, e.on_paper) for e in history] == [
        (3, True, True),
        (2, False, False),
        (1, True, False),
    ]
    assert history[0].recorded_by_id == world.case_worker.id
    assert consent.consenting_ids(session) >= {world.client.id}
    # An assistant acting with every mandate scope still cannot give or withdraw consent.
    assistant = user(session, "Avustaja", Role.assistant, organiser_id=world.organiser.id)
    acting = Actor(
        user=assistant,
        memberships=(),
        on_behalf_of=world.client,
        mandate_scopes=frozenset(s.value for s in MandateScope),
    )
    with pytest.raises(consent.ConsentIsPersonal):
        consent.set_own(session, acting, False)


def test_paper_consent_only_for_own_clients(session: Session):
    world = build(session, code="paper")
    other = user(session, "Toinen", Role.case_worker, organiser_id=world.organiser.id)
    from app.errors import NotFound

    with pytest.raises(NotFound):
        consent.record_paper(session, world.actor(other), world.client.id, True, "")  # type: ignore[arg-type]


def test_enrolment_needs_consent_and_sets_the_budget_arm(session: Session):
    world = build(session, code="enrol")
    worker = world.actor(world.case_worker)
    client_id = world.client.id
    assert client_id is not None
    with pytest.raises(experiment.NoExperiment):
        experiment.enrol(session, worker, client_id)
    found = _experiment(session, world.organiser.id, world.case_worker.id)  # type: ignore[arg-type]
    with pytest.raises(experiment.NeedsConsent):
        experiment.enrol(session, worker, client_id)
    # Concealed: nothing is allocated before enrolment.
    assert experiment.allocation_for_client(session, client_id) is None
    consent.set_own(session, world.actor(world.client), True)
    allocation = experiment.enrol(session, worker, client_id)
    arm = randomisation.allocate("fixed-seed", "other", 0, experiment.arms_of(found), 4)
    assert (allocation.frame_arm, allocation.teaming) == randomisation.split_arm(arm)
    assert allocation.stratum == "other" and allocation.sequence == 0
    with pytest.raises(experiment.AlreadyEnrolled):
        experiment.enrol(session, worker, client_id)
    assert experiment.reproduce(found, [allocation]) == []
    # The frame's arm comes from the allocation, whatever the form said.
    wrong = ExperimentArm.b if allocation.frame_arm == "A" else ExperimentArm.a
    budget = world.frame(100_000, {world.categories[0].id: 5_000}, arm=wrong)  # type: ignore[dict-item]
    assert budget.arm == allocation.frame_arm
    assert (budget.shares_bp == {}) == (allocation.frame_arm == "A")


def test_not_enrolled_client_keeps_the_manual_arm(session: Session):
    world = build(session, code="manual")
    budget = world.frame(100_000, {world.categories[0].id: 5_000}, arm=ExperimentArm.b)  # type: ignore[dict-item]
    assert budget.arm == ExperimentArm.b and budget.shares_bp


def test_stratified_enrolment_follows_the_seed(session: Session):
    world = build(session, code="strata")
    found = _experiment(session, world.organiser.id, world.case_worker.id)  # type: ignore[arg-type]
    worker = world.actor(world.case_worker)
    allocations = []
    for n in range(8):
        group = "disability" if n % 2 else "family-carer"
        person = user(
            session,
            f"A{n}",
            Role.client,
            organiser_id=world.organiser.id,
            case_worker_id=world.case_worker.id,
            client_group=group,
        )
        consent.set_own(session, world.actor(person), True)
        allocations.append(experiment.enrol(session, worker, person.id))  # type: ignore[arg-type]
    for group in ("disability", "family-carer"):
        mine = [a for a in allocations if a.stratum == group]
        assert [a.sequence for a in mine] == [0, 1, 2, 3]
        # One complete block of four: every arm once.
        assert {(a.frame_arm, a.teaming) for a in mine} == {
            ("A", True),
            ("A", False),
            ("B", True),
            ("B", False),
        }
    assert experiment.reproduce(found, allocations) == []
    design = experiment.Design("Koe", ["A", "B"], [], 4, "", True)
    admin = user(session, "Admin", Role.admin, organiser_id=world.organiser.id)
    with pytest.raises(experiment.LockedDesign):
        experiment.save_design(session, world.actor(admin), design)
