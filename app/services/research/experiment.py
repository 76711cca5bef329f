"""The organiser's randomised experiment: configuration by admins, enrolment of clients.

Clients are randomised when their case worker enrols them, and only if they have given
research consent. Until then nothing about the coming allocation is shown or stored: the
sequence depends on the seed, which only admins see (allocation concealment). The
allocation fixes the client's frame arm (A: total only, B: total + shares) and whether
teaming meetings with providers are expected (arm C); clients outside the experiment keep
an arm their case worker chooses.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.errors import AppError, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction, AuditPurpose
from app.models.base import utcnow
from app.models.research import Allocation, Experiment
from app.models.user import Role
from app.services import audit
from app.services.identity.mandates import in_caseload
from app.services.identity.users import client_membership
from app.services.research import consent, randomisation

CATEGORY = "experiment"
NO_GROUP = "other"


class NotEnrollable(AppError):
    status_code = 409

    default_text = lazy_gettext("The client cannot be enrolled.")


class NeedsConsent(NotEnrollable):
    default_text = lazy_gettext("Only a client who has given research consent can be enrolled.")


class NoExperiment(NotEnrollable):
    default_text = lazy_gettext("There is no experiment running.")


class AlreadyEnrolled(NotEnrollable):
    default_text = lazy_gettext("The client is already in the experiment.")


class LockedDesign(AppError):
    status_code = 409

    default_text = lazy_gettext(
        "Clients have already been randomised: the arms, block size and seed can no longer "
        "be changed."
    )


@dataclass(frozen=True)
class Design:
    name: str
    frame_arms: list[str]
    teaming_arms: list[str]
    block_size: int
    seed: str
    is_active: bool = True


def admin_organiser(actor: Actor) -> int:
    ids = sorted(actor.organiser_ids(Role.admin))
    if not ids:
        raise NotFound()
    return ids[0]


def current_experiment(session: Session, organiser_id: int) -> Experiment | None:
    """The organiser's newest experiment (active or not)."""
    return session.exec(
        select(Experiment)
        .where(Experiment.organiser_id == organiser_id)
        .order_by(col(Experiment.id).desc())
    ).first()


def active_experiment(session: Session, organiser_id: int) -> Experiment | None:
    found = current_experiment(session, organiser_id)
    return found if found is not None and found.is_active else None


def arms_of(experiment: Experiment) -> list[str]:
    return randomisation.combined_arms(experiment.frame_arms, experiment.teaming_arms)


def allocation_count(session: Session, experiment: Experiment) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Allocation)
            .where(Allocation.experiment_id == experiment.id)
        ).one()
    )


def save_design(session: Session, actor: Actor, design: Design) -> Experiment:
    """Create the admin's organiser's experiment or change it (design frozen once in use)."""
    organiser_id = admin_organiser(actor)
    n_arms = len(randomisation.combined_arms(design.frame_arms, design.teaming_arms))
    if not randomisation.valid_block_size(design.block_size, n_arms):
        raise ValueError("block size")
    experiment = current_experiment(session, organiser_id)
    if experiment is None:
        experiment = Experiment(
            organiser_id=organiser_id,
            name=design.name,
            frame_arms=design.frame_arms,
            teaming_arms=design.teaming_arms,
            block_size=design.block_size,
            seed=design.seed or randomisation.new_seed(),
            is_active=design.is_active,
            created_by_id=actor.user_id,
        )
    else:
        changed = (
            experiment.frame_arms != design.frame_arms
            or experiment.teaming_arms != design.teaming_arms
            or experiment.block_size != design.block_size
            or (design.seed and design.seed != experiment.seed)
        )
        if changed and allocation_count(session, experiment):
            raise LockedDesign()
        experiment.name = design.name
        experiment.frame_arms = list(design.frame_arms)
        experiment.teaming_arms = list(design.teaming_arms)
        experiment.block_size = design.block_size
        experiment.seed = design.seed or experiment.seed
        experiment.is_active = design.is_active
    experiment.settings_log = [
        *experiment.settings_log,
        {
            "at": utcnow().isoformat(),
            "by": actor.user_id,
            "frame_arms": design.frame_arms,
            "teaming_arms": design.teaming_arms,
            "block_size": design.block_size,
            "active": design.is_active,
        },
    ]
    audit.record_saved(
        session,
        actor,
        AuditAction.update,
        CATEGORY,
        experiment,
        "experiment",
        purpose=AuditPurpose.admin,
        details={"name": design.name, "active": design.is_active},
    )
    return experiment


def allocation_for_client(session: Session, client_id: int) -> Allocation | None:
    """The client's allocation in their organiser's newest experiment, if enrolled."""
    member = client_membership(session, client_id)
    if member is None or member.organiser_id is None:
        return None
    experiment = current_experiment(session, member.organiser_id)
    if experiment is None:
        return None
    return session.exec(
        select(Allocation).where(
            Allocation.experiment_id == experiment.id, Allocation.client_id == client_id
        )
    ).first()


def _lock(session: Session, experiment: Experiment) -> None:
    # Serialise enrolments so two clients never get the same position in a stratum.
    if session.get_bind().dialect.name == "postgresql":
        session.exec(select(Experiment.id).where(Experiment.id == experiment.id).with_for_update())


def enrol(session: Session, actor: Actor, client_id: int) -> Allocation:
    """Randomise one consenting client of the case worker's caseload."""
    member = in_caseload(session, actor, client_id)
    assert member.organiser_id is not None
    experiment = active_experiment(session, member.organiser_id)
    if experiment is None:
        raise NoExperiment()
    if not consent.has_consent(session, client_id):
        raise NeedsConsent()
    if allocation_for_client(session, client_id) is not None:
        raise AlreadyEnrolled()
    _lock(session, experiment)
    stratum = member.client_group or NO_GROUP
    position = int(
        session.exec(
            select(func.count())
            .select_from(Allocation)
            .where(Allocation.experiment_id == experiment.id, Allocation.stratum == stratum)
        ).one()
    )
    arm = randomisation.allocate(
        experiment.seed, stratum, position, arms_of(experiment), experiment.block_size
    )
    frame_arm, teaming = randomisation.split_arm(arm)
    allocation = Allocation(
        experiment_id=experiment.id,  # type: ignore[arg-type]
        client_id=client_id,
        stratum=stratum,
        sequence=position,
        frame_arm=frame_arm,
        teaming=teaming,
        allocated_by_id=actor.user_id,
    )
    audit.record_saved(
        session,
        actor,
        AuditAction.create,
        CATEGORY,
        allocation,
        "allocation",
        subject_id=client_id,
        details={"frame_arm": frame_arm, "teaming": teaming},
    )
    return allocation


def reproduce(experiment: Experiment, allocations: list[Allocation]) -> list[int]:
    """Ids of allocations that the stored seed does not reproduce (empty when all match)."""
    arms = arms_of(experiment)
    wrong = []
    for a in allocations:
        arm = randomisation.allocate(
            experiment.seed, a.stratum, a.sequence, arms, experiment.block_size
        )
        if randomisation.split_arm(arm) != (a.frame_arm, a.teaming):
            wrong.append(a.id or 0)
    return wrong


def allocations_of(session: Session, experiment: Experiment) -> list[Allocation]:
    return list(
        session.exec(
            select(Allocation)
            .where(Allocation.experiment_id == experiment.id)
            .order_by(col(Allocation.stratum), col(Allocation.sequence))
        ).all()
    )


def counts(allocations: list[Allocation]) -> dict[str, dict[str, int]]:
    """Allocations per stratum and combined arm, e.g. {"disability": {"A/C": 3, ...}}."""
    table: dict[str, dict[str, int]] = {}
    for a in allocations:
        arm = f"{a.frame_arm}/{'C' if a.teaming else 'none'}"
        row = table.setdefault(a.stratum, {})
        row[arm] = row.get(arm, 0) + 1
    return dict(sorted(table.items()))
