"""The synthetic cohort: generated clients with plausible trajectories for the organiser's
reports and the experiment's arm comparison.

Every generated person has `User.is_synthetic` set and staff views label them; nothing
excludes them. `hebu demo` adds `HEBU_DEMO_COHORT_SIZE` budget clients and a comparison
group of one in five of that once; `hebu demo cohort --size N` adds N budget clients more.
The specs come from a seeded generator (`cohort_specs`), the rows are inserted in bulk
(`cohort_rows`), so a cohort of 300 loads in a few seconds.
"""

from __future__ import annotations

import random

from sqlmodel import Session, col, func, select

from app.demo.catalogue import approved_offers
from app.demo.cohort_rows import insert_clients, next_positions
from app.demo.cohort_specs import DEMO_SEED, MARKER, ORGANISER_CODE, WORKERS, generate
from app.models.offer import Offer
from app.models.organiser import Organiser
from app.models.research import Experiment
from app.models.user import Membership, Role, User

SEED = 2026
COMPARISON_SHARE = 5  # the demo's comparison group: one client for every five with a budget
PROVIDERS = 8  # the cohort's clients use the offers of this many providers


def cohort_count(session: Session) -> int:
    """How many cohort clients (budget and comparison) there are."""
    return session.exec(
        select(func.count())
        .select_from(Membership)
        .join(User, col(User.id) == Membership.user_id)
        .where(col(User.is_synthetic), col(User.email).endswith(MARKER))
        .where(Membership.role == Role.client)
    ).one()


def load_cohort(session: Session, size: int = 300, comparison: int = 0, seed: int = SEED) -> int:
    """Add `size` budget clients and `comparison` comparison clients to the demo county;
    returns how many were added (0 without the demo's organiser, admin or offers)."""
    organiser = session.exec(select(Organiser).where(Organiser.code == ORGANISER_CODE)).first()
    admin = session.exec(select(User).where(User.dev_persona == "admin")).first()
    if organiser is None or admin is None or admin.id is None:
        return 0
    offers = _offers(session, organiser)
    if not offers:
        return 0
    experiment = _experiment(session, organiser, admin.id)
    done = cohort_count(session)
    specs = generate(
        random.Random(seed + done),
        size,
        _workers(session, organiser),
        offers,
        experiment,
        next_positions(session, experiment),
        comparison=comparison,
        first_number=done + 1,
    )
    insert_clients(session, organiser, specs, experiment, _reporters(session, offers))
    return len(specs)


def load_demo_cohort(session: Session) -> None:
    """The demo step: the cohort once (idempotent)."""
    from app.config import get_settings

    if cohort_count(session) == 0:
        size = get_settings().demo_cohort_size
        load_cohort(session, size, comparison=size // COMPARISON_SHARE)


# --- what the cohort needs from the demo county ---------------------------------------------


def _experiment(session: Session, organiser: Organiser, creator_id: int) -> Experiment:
    """The organiser's newest experiment, or the demo's frame experiment."""
    experiment = session.exec(
        select(Experiment)
        .where(Experiment.organiser_id == organiser.id)
        .order_by(col(Experiment.id).desc())
    ).first()
    if experiment is None:
        experiment = Experiment(
            organiser_id=organiser.id,  # type: ignore[arg-type]
            name="Raamikoe 2026 / Ramförsök 2026",
            frame_arms=["A", "B"],
            teaming_arms=["C", "none"],
            block_size=4,
            seed=DEMO_SEED,
            created_by_id=creator_id,
        )
        session.add(experiment)
        session.flush()
    return experiment


def _workers(session: Session, organiser: Organiser) -> list[int]:
    """Three synthetic case workers with three clients in turn; the demo case worker (Sari)
    gets every tenth."""
    ids: list[int] = []
    for name in WORKERS:
        user = session.exec(
            select(User).where(User.display_name == name, col(User.is_synthetic))
        ).first()
        if user is None:
            user = User(display_name=name, locale="fi", is_synthetic=True)
            session.add(user)
            session.flush()
            session.add(
                Membership(user_id=user.id, role=Role.case_worker, organiser_id=organiser.id)  # type: ignore[arg-type]
            )
        ids.extend([user.id] * 3)  # type: ignore[list-item]
    sari = session.exec(select(User).where(User.dev_persona == "case-worker")).first()
    if sari is not None and sari.id is not None:
        ids.append(sari.id)
    session.flush()
    return ids


def _offers(session: Session, organiser: Organiser) -> list[Offer]:
    """One priced offer per category of each of the first providers the organiser approved:
    few enough providers that each gets figures in the effect report, all categories."""
    offers = session.exec(approved_offers(organiser).where(col(Offer.unit_price_cents) > 0)).all()
    providers = list(dict.fromkeys(o.provider_id for o in offers))[:PROVIDERS]
    picked: dict[tuple[int, int], Offer] = {}
    for offer in offers:
        if offer.provider_id in providers:
            picked.setdefault((offer.provider_id, offer.category_id), offer)
    return list(picked.values())


def _reporters(session: Session, offers: list[Offer]) -> dict[int, int]:
    """A member of each provider, who reports its deliveries."""
    providers = {o.provider_id for o in offers}
    reporters: dict[int, int] = {}
    for provider_id, user_id in session.exec(
        select(Membership.provider_id, Membership.user_id)
        .where(col(Membership.provider_id).in_(providers))
        .order_by(col(Membership.id))
    ).all():
        if provider_id is not None:
            reporters.setdefault(provider_id, user_id)
    return reporters
