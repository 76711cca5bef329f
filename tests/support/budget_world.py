"""Factories for budget tests: an organiser, a client with a case worker, a provider, offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from app.models.actor import Actor
from app.models.budget import Budget, ExperimentArm
from app.models.offer import Offer, OfferStatus, Unit
from app.models.organiser import Category, Organiser
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.user import Membership, Role, User
from app.services.budget import frames as budget_service
from app.services.identity.users import load_actor

PERIOD = (date(2026, 1, 1), date(2026, 12, 31))
TODAY = date(2026, 6, 1)


@dataclass
class BudgetWorld:
    session: Session
    organiser: Organiser
    categories: list[Category]
    client: User
    case_worker: User
    provider: Provider
    provider_user: User
    offers: list[Offer] = field(default_factory=list)
    counter: int = 0

    def actor(self, user: User) -> Actor:
        actor = load_actor(self.session, user.id)  # type: ignore[arg-type]
        assert actor is not None
        return actor

    def frame(
        self, cents: int, shares: dict[int, int] | None = None, arm: ExperimentArm | None = None
    ) -> Budget:
        data = budget_service.FrameInput(
            frame_cents=cents,
            arm=arm or (ExperimentArm.b if shares else ExperimentArm.a),
            shares_bp=shares or {},
            reason="test",
            period_start=PERIOD[0],
            period_end=PERIOD[1],
        )
        return budget_service.set_frame(
            self.session,
            self.actor(self.case_worker),
            self.client.id,  # type: ignore[arg-type]
            data,
        )

    def offer(
        self,
        price: int,
        *,
        category: int = 0,
        status: OfferStatus = OfferStatus.published,
        provider: Provider | None = None,
        valid_to: date | None = None,
    ) -> Offer:
        offer = Offer(
            provider_id=(provider or self.provider).id,  # type: ignore[arg-type]
            category_id=self.categories[category].id,  # type: ignore[arg-type]
            title={"fi": f"Palvelu {price}", "sv": f"Tjänst {price}"},
            unit=Unit.hour,
            unit_price_cents=price,
            status=status,
            valid_to=valid_to,
        )
        self.session.add(offer)
        self.session.flush()
        self.offers.append(offer)
        return offer


def user(session: Session, name: str, role: Role, **membership: object) -> User:
    person = User(display_name=name)
    session.add(person)
    session.flush()
    session.add(Membership(user_id=person.id, role=role, **membership))  # type: ignore[arg-type]
    session.flush()
    return person


def build(session: Session, *, allows_own_share: bool = False, code: str = "bw") -> BudgetWorld:
    organiser = Organiser(
        code=code, name={"fi": "Alue", "sv": "Område"}, allows_own_share=allows_own_share
    )
    session.add(organiser)
    session.flush()
    categories = [
        Category(organiser_id=organiser.id, slug=f"c{i}", name={"fi": f"L{i}", "sv": f"K{i}"})  # type: ignore[arg-type]
        for i in range(3)
    ]
    session.add_all(categories)
    provider = Provider(name="Tuottaja Oy", business_id=f"{abs(hash(code)) % 9999999:07d}-1")
    session.add(provider)
    session.flush()
    session.add(
        ProviderApproval(
            provider_id=provider.id,  # type: ignore[arg-type]
            organiser_id=organiser.id,  # type: ignore[arg-type]
            status=ApprovalStatus.approved,
        )
    )
    case_worker = user(session, "Sari", Role.case_worker, organiser_id=organiser.id)
    client = user(
        session, "Aino", Role.client, organiser_id=organiser.id, case_worker_id=case_worker.id
    )
    provider_user = user(session, "Pia", Role.provider_owner, provider_id=provider.id)
    return BudgetWorld(session, organiser, categories, client, case_worker, provider, provider_user)
