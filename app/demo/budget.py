"""Demo budgets in every state for Järvimaa's clients, one of them near exhaustion.

Uses the catalogue's published offers when there are any; only when the Offer table is
empty does it add a small demo provider with a few offers of its own. Idempotent: clients
that already have a budget are left alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from app.demo.catalogue import approved_offers
from app.demo.identity import actor_of, provider_actor, synthetic_client
from app.models.actor import Actor
from app.models.budget import Budget, ExperimentArm, MeetingKind, PlanLine
from app.models.offer import Offer, OfferStatus, Unit
from app.models.organiser import Category, Organiser
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.user import Membership, Role, User
from app.services.budget import deliveries, meetings, plan
from app.services.budget import frames as budget_service

PROVIDER_PERSONA = "budget-provider"
OFFERS: list[tuple[str, str, str, Unit, int]] = [
    ("home-help", "Kotisiivous", "Hemstädning", Unit.hour, 4_200),
    ("therapy", "Fysioterapia", "Fysioterapi", Unit.session, 6_500),
    ("leisure", "Liikuntaryhmä", "Motionsgrupp", Unit.session, 1_500),
    ("transport", "Asiointikuljetus", "Ärendeskjuts", Unit.trip, 2_800),
]
EXTRA_CLIENTS = [("Liisa Lahtinen", "draft"), ("Juha Heikkinen", "returned")]


def _demo_offers(session: Session, organiser: Organiser) -> list[Offer]:
    offers = list(session.exec(approved_offers(organiser).where(col(Offer.valid_to).is_(None))))
    if session.exec(select(Offer.id)).first() is not None:
        return _demo_order(session, offers)
    provider = Provider(
        name="Järvimaan Arkiapu Oy",
        business_id="2345678-3",
        description={"fi": "Demo-palveluntuottaja.", "sv": "Demo-tjänsteproducent."},
        languages=["fi", "sv"],
        iban="FI5542345670000081",  # made up, valid check digits
        bic="OKOYFIHH",
    )
    session.add(provider)
    session.flush()
    session.add(
        ProviderApproval(
            provider_id=provider.id,  # type: ignore[arg-type]
            organiser_id=organiser.id,  # type: ignore[arg-type]
            status=ApprovalStatus.approved,
        )
    )
    owner = User(display_name="Pia Palvelu", locale="fi", dev_persona=PROVIDER_PERSONA)
    session.add(owner)
    session.flush()
    session.add(Membership(user_id=owner.id, role=Role.provider_owner, provider_id=provider.id))  # type: ignore[arg-type]
    for slug, fi, sv, unit, price in OFFERS:
        category = session.exec(
            select(Category).where(Category.organiser_id == organiser.id, Category.slug == slug)
        ).one()
        offer = Offer(
            provider_id=provider.id,  # type: ignore[arg-type]
            category_id=category.id,  # type: ignore[arg-type]
            title={"fi": fi, "sv": sv},
            unit=unit,
            unit_price_cents=price,
            status=OfferStatus.published,
            languages=["fi", "sv"],
        )
        session.add(offer)
        offers.append(offer)
    session.flush()
    return offers


def _demo_order(session: Session, offers: list[Offer]) -> list[Offer]:
    """The catalogue persona's provider first (so `provider-owner` sees orders), and the first
    two offers in different categories (arm B shares need two main categories)."""
    owned = session.exec(
        select(Membership.provider_id)
        .join(User, col(User.id) == col(Membership.user_id))
        .where(User.dev_persona == "provider-owner", Membership.role == Role.provider_owner)
    ).first()
    ordered = sorted(offers, key=lambda o: (o.provider_id != owned, o.id or 0))
    if len(ordered) > 2:
        other = next((o for o in ordered[1:] if o.category_id != ordered[0].category_id), None)
        if other is not None:
            ordered.remove(other)
            ordered.insert(1, other)
    return ordered


def _frame(session: Session, worker: User, client: User, cents: int, shares: dict[int, int]):  # noqa: ANN202
    year = date.today().year
    return budget_service.set_frame(
        session,
        actor_of(session, worker),
        client.id,  # type: ignore[arg-type]
        budget_service.FrameInput(
            frame_cents=cents,
            arm=ExperimentArm.b if shares else ExperimentArm.a,
            shares_bp=shares,
            reason="Alkuarvio / Inledande bedömning",
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
        ),
    )


def _plan(session: Session, client: User, budget: Budget, items: list[tuple[Offer, int, int]]):  # noqa: ANN202
    """Lines costing about the given target cents each (whatever the offers' prices)."""
    actor = actor_of(session, client)
    lines = []
    for offer, quantity, target in items:
        repeats = max(1, min(1000, target // max(1, quantity * offer.unit_price_cents)))
        lines.append(
            plan.add_line(session, actor, budget, offer.id, quantity, repeats, date.today())  # type: ignore[arg-type]
        )
    return actor, lines


def _client(session: Session, organiser: Organiser, worker: User, name: str) -> User:
    user = session.exec(select(User).where(User.display_name == name)).first()
    return user or synthetic_client(session, organiser, worker, name)


def _has_budget(session: Session, user: User) -> bool:
    return session.exec(select(Budget.id).where(Budget.client_id == user.id)).first() is not None


def _near_exhaustion(session: Session, worker: User, aino: User, offers: list[Offer]) -> None:
    """Aino: arm B, confirmed, deliveries confirmed: about 92 % used (near exhaustion)."""
    shares = {offers[0].category_id: 6_500, offers[1].category_id: 3_300}
    budget = _frame(session, worker, aino, 270_000, shares)
    actor, lines = _plan(session, aino, budget, [(offers[0], 2, 168_000), (offers[1], 1, 84_500)])
    plan.submit(session, actor, budget, "Siivous ja fysioterapia auttavat arjessa.")
    worker_actor = actor_of(session, worker)
    meetings.record_meeting(
        session,
        worker_actor,
        budget,
        MeetingKind.confirmation,
        date.today(),
        "Suunnitelma käyty läpi.",
    )
    plan.confirm(session, worker_actor, budget, "Hyvä suunnitelma.")
    for line in lines:
        provider = provider_actor(session, line.provider_id)
        if provider is not None:
            _deliver(session, actor, provider, budget, line)


def _deliver(
    session: Session, client: Actor, provider: Actor, budget: Budget, line: PlanLine
) -> None:
    """The provider accepts the order and reports all but one unit (the client confirms
    those) earlier this month, and the last one today (waiting for the client)."""
    today = date.today()
    deliveries.decide_order(session, provider, line.id, True)  # type: ignore[arg-type]
    units = line.quantity * line.repeats
    if units < 2:
        return
    earlier = max(today - timedelta(days=7), today.replace(day=1))
    done = deliveries.report_delivery(session, provider, line.id, earlier, units - 1, "")  # type: ignore[arg-type]
    deliveries.accept(session, client, budget, done.id)  # type: ignore[arg-type]
    deliveries.report_delivery(session, provider, line.id, today, 1, "")  # type: ignore[arg-type]


def load_budgets(session: Session) -> None:
    organiser = session.exec(select(Organiser).where(Organiser.code == "jarvimaa")).first()
    worker = session.exec(select(User).where(User.dev_persona == "case-worker")).first()
    aino = session.exec(select(User).where(User.dev_persona == "client")).first()
    erik = session.exec(select(User).where(User.dev_persona == "client-sv")).first()
    if organiser is None or worker is None or aino is None or erik is None:
        return
    offers = _demo_offers(session, organiser)
    if len(offers) < 2:
        return
    worker_actor = actor_of(session, worker)
    if not _has_budget(session, aino):
        _near_exhaustion(session, worker, aino, offers)
    if not _has_budget(session, erik):
        # Arm A, plan sent for confirmation.
        budget = _frame(session, worker, erik, 600_000, {})
        actor, _lines = _plan(
            session, erik, budget, [(offers[-1], 1, 112_000), (offers[0], 2, 100_000)]
        )
        plan.submit(session, actor, budget, "Jag behöver skjuts till ärenden.")
    for name, state in EXTRA_CLIENTS:
        client = _client(session, organiser, worker, name)
        if _has_budget(session, client):
            continue
        budget = _frame(session, worker, client, 400_000, {})
        actor, _lines = _plan(session, client, budget, [(offers[0], 1, 126_000)])
        if state == "returned":
            plan.submit(session, actor, budget, "")
            plan.return_plan(session, worker_actor, budget, "Lisää myös liikuntaa.")
    session.flush()
