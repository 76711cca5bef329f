"""The market views' rules on a small cohort: provider_effects (a provider sees only its own
evidence; suppression; a withdrawn consent takes the client out), need_vs_supply (needs by
category and municipality against the approved offers, gaps first, language gaps) and
value_for_money (price against effect, effect per 1 000 €), and the operational budget
follow-up (budget_spending: not consent-scoped)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from app.demo.cohort_rows import insert_clients
from app.demo.cohort_specs import ClientSpec, LineSpec
from app.models.actor import Actor
from app.models.assessment import Assessment, AssessmentStatus
from app.models.offer import Offer, OfferArea
from app.models.organiser import OrganiserMunicipality
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.rating import Rating
from app.models.user import Role
from app.services.catalogue.municipalities import load_municipalities
from app.services.identity.users import load_actor
from app.services.reports import need_supply, provider_effects, spending, value_for_money
from app.services.research import consent
from tests.support.budget_world import BudgetWorld, build, user

FRAME_AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
TOWN, VILLAGE = "179", "992"  # Jyväskylä, Äänekoski


def _actor(session: Session, user_id: int | None) -> Actor:
    actor = load_actor(session, user_id)  # type: ignore[arg-type]
    assert actor is not None
    return actor


def _spec(i: int, worker: int, lines: list[LineSpec], municipality: str = TOWN) -> ClientSpec:
    return ClientSpec(
        name=f"K{i}",
        group="disability",
        worker_id=worker,
        municipality=municipality,
        enrol=False,
        frame_cents=100_000,
        frame_at=FRAME_AT,
        days_to_confirmation=10,
        first_scores={"general": 5.0},
        latest_scores={"general": 6.0 + i % 3},
        goals=[(-1, 0)],
        lines=lines,
        synthetic=False,
    )


class Market:
    def __init__(self, session: Session) -> None:
        load_municipalities(session)
        self.world: BudgetWorld = build(session, code="market")
        w = self.world
        session.add_all(
            [
                OrganiserMunicipality(organiser_id=w.organiser.id, municipality_code=code)  # type: ignore[arg-type]
                for code in (TOWN, VILLAGE)
            ]
        )
        self.other = Provider(name="Toinen Oy", business_id="7654321-8")
        session.add(self.other)
        session.flush()
        session.add(
            ProviderApproval(
                provider_id=self.other.id,  # type: ignore[arg-type]
                organiser_id=w.organiser.id,  # type: ignore[arg-type]
                status=ApprovalStatus.approved,
            )
        )
        self.other_user = user(session, "Olli", Role.provider_owner, provider_id=self.other.id)
        self.admin = user(session, "Admin", Role.admin, organiser_id=w.organiser.id)
        # Category 0: two offers of the world's provider in the town (Finnish only) and one of
        # the other provider; category 1: one offer, only in the village.
        self.a1 = self._offer(1_000, 0, w.provider, [TOWN], ["fi"])
        self.a2 = self._offer(3_000, 0, w.provider, [TOWN], ["fi"])
        self.b1 = self._offer(2_000, 0, self.other, [TOWN], ["fi"])
        self.c1 = self._offer(5_000, 1, self.other, [VILLAGE], ["fi", "sv"])
        worker = w.case_worker.id
        assert worker is not None
        specs = [_spec(i, worker, [LineSpec(self.a1, 20_000, 10_000)]) for i in range(6)]
        specs += [_spec(6 + i, worker, [LineSpec(self.a2, 20_000, 6_000)]) for i in range(2)]
        specs += [_spec(8 + i, worker, [LineSpec(self.b1, 20_000, 8_000)]) for i in range(5)]
        self.ids = insert_clients(session, w.organiser, specs)
        self.session = session

    def _offer(
        self, price: int, category: int, provider: Provider, areas: list[str], langs: list[str]
    ) -> Offer:
        offer = self.world.offer(price, category=category, provider=provider)
        offer.languages = langs
        self.world.session.add(offer)
        for code in areas:
            self.world.session.add(OfferArea(offer_id=offer.id, municipality_code=code))  # type: ignore[arg-type]
        self.world.session.flush()
        return offer

    def withdraw(self, index: int) -> None:
        consent.set_own(self.session, _actor(self.session, self.ids[index]), False)

    def needs(self, client: int, answers: dict[str, str], language: str = "fi") -> None:
        for key, data in (("service-needs", answers), ("profile", {"language": language})):
            self.session.add(
                Assessment(
                    client_id=client,
                    instrument_key=key,
                    instrument_version=1,
                    status=AssessmentStatus.submitted,
                    answers=data,
                    submitted_at=FRAME_AT,
                )
            )
        self.session.flush()


# --- provider_effects -------------------------------------------------------------------------


def test_provider_effects_a_provider_sees_only_its_own_evidence(session: Session) -> None:
    m = Market(session)
    own = provider_effects.evidence(session, _actor(session, m.world.provider_user.id))
    assert [p.provider_id for p in own] == [m.world.provider.id]
    evidence = own[0]
    assert (evidence.counted, evidence.eligible) == (8, 8)
    assert evidence.overall.clients.value == 8
    assert {o.offer_id for o in evidence.offers} == {m.a1.id, m.a2.id}
    assert m.b1.id not in {o.offer_id for o in evidence.offers}
    other = provider_effects.evidence(session, _actor(session, m.other_user.id))
    assert [p.provider_id for p in other] == [m.other.id]
    assert other[0].overall.clients.value == 5
    # a case worker or a client has no provider membership: nothing
    assert provider_effects.evidence(session, _actor(session, m.world.case_worker.id)) == []


def test_provider_effects_small_cells_are_hidden_and_cannot_be_worked_out(
    session: Session,
) -> None:
    m = Market(session)
    [evidence] = provider_effects.evidence(session, _actor(session, m.world.provider_user.id))
    by_offer = {o.offer_id: o.evidence for o in evidence.offers}
    # two clients used a2: hidden; a1's six would give a2's two away (8 - 6): hidden too
    assert by_offer[m.a2.id].suppressed and by_offer[m.a2.id].wellbeing.value is None
    assert by_offer[m.a1.id].suppressed
    assert not evidence.overall.suppressed
    assert evidence.overall.wellbeing.value is not None
    assert evidence.overall.wellbeing.low is not None  # with its interval


def test_provider_effects_withdrawal_removes_the_client(session: Session) -> None:
    m = Market(session)
    owner = m.world.provider_user.id
    session.add(
        Rating(
            offer_id=m.b1.id,  # type: ignore[arg-type]
            provider_id=m.other.id,  # type: ignore[arg-type]
            client_id=m.ids[8],
            entered_by_id=m.ids[8],
            delivery_id=1,
            plan_line_id=1,
            month="2025-06",
            quality=4,
            effect=4,
        )
    )
    [before] = provider_effects.evidence(session, _actor(session, owner))
    m.withdraw(0)
    [after] = provider_effects.evidence(session, _actor(session, owner))
    assert (after.counted, after.eligible) == (before.counted - 1, before.eligible)
    assert after.overall.clients.value == 7
    # the other provider's rating is not in this provider's figures
    assert before.overall.effect.n == 0


# --- need_vs_supply ---------------------------------------------------------------------------


def test_need_vs_supply_finds_needs_supply_and_gaps(session: Session) -> None:
    m = Market(session)
    c0, c1 = m.world.categories[0], m.world.categories[1]
    # The instrument's categories are the demo's slugs: name the world's like them.
    c0.slug, c1.slug = "home-help", "therapy"
    session.add_all([c0, c1])
    for i, client in enumerate(m.ids[:6]):
        m.needs(client, {"n_therapy": "much"}, language="sv" if i < 5 else "fi")
    report = need_supply.build(session, _actor(session, m.admin.id))
    rows = {(r.category_id, r.municipality): r for r in report.rows}
    town0 = rows[(c0.id, TOWN)]
    assert town0.need.value == 13  # the plans' lines (all thirteen in category 0)
    assert (town0.offers, town0.providers) == (3, 2)
    assert (town0.price_low, town0.price_median, town0.price_high) == (1_000, 2_000, 3_000)
    therapy_town = rows[(c1.id, TOWN)]
    assert therapy_town.need.value == 6 and therapy_town.offers == 0
    assert therapy_town.need_by_language["sv"].value == 5
    assert rows[(c1.id, VILLAGE)].offers == 1 and rows[(c1.id, VILLAGE)].need.value == 0
    gaps = {(g.category_id, g.municipality, g.language): g.need for g in report.gaps}
    # no therapy at all in the town; the five Swedish speakers' plans need home help, which
    # the town has only in Finnish
    assert set(gaps) == {(c1.id, TOWN, None), (c0.id, TOWN, "sv")}
    assert report.gaps[0].language is None  # a missing service first, then languages
    assert gaps[(c0.id, TOWN, "sv")].value == 5
    m.withdraw(0)  # one Swedish speaker less: the gap stays, its count is hidden
    again = need_supply.build(session, _actor(session, m.admin.id))
    [language_gap] = [g for g in again.gaps if g.language == "sv"]
    assert language_gap.need.suppressed and language_gap.need.value is None


def test_need_vs_supply_counts_only_consenting_clients(session: Session) -> None:
    m = Market(session)
    before = need_supply.build(session, _actor(session, m.admin.id))
    m.withdraw(0)
    after = need_supply.build(session, _actor(session, m.admin.id))
    key = (m.world.categories[0].id, TOWN)
    need = {(r.category_id, r.municipality): r.need.value for r in before.rows}
    need_after = {(r.category_id, r.municipality): r.need.value for r in after.rows}
    assert (need[key], need_after[key]) == (13, 12)
    assert after.counted == before.counted - 1


# --- value_for_money --------------------------------------------------------------------------


def test_value_for_money_price_against_effect(session: Session) -> None:
    m = Market(session)
    report = value_for_money.build(session, _actor(session, m.admin.id))
    rows = {r.category_id: r for r in report.rows}
    first = rows[m.world.categories[0].id]
    assert first.price_cents == 2_000 and first.offers == 3
    assert first.evidence.clients.value == 13
    # mean spending: (6 × 10 000 + 2 × 6 000 + 5 × 8 000) / 13 cents
    assert first.spent.value == round((60_000 + 12_000 + 40_000) / 13)
    change = first.evidence.wellbeing.value
    assert first.per_thousand.value == round(change / (first.spent.value / 100 / 1000), 2)
    assert first.per_thousand.low is not None
    # category 1 has an offer but no clients: a price, no effect
    second = rows[m.world.categories[1].id]
    assert second.price_cents == 5_000 and second.evidence.clients.value == 0


def test_value_for_money_suppression_and_withdrawal(session: Session) -> None:
    m = Market(session)
    for i in range(8):
        m.withdraw(i)  # five clients are left (those of the other provider)
    row = {
        r.category_id: r for r in value_for_money.build(session, _actor(session, m.admin.id)).rows
    }
    first = row[m.world.categories[0].id]
    assert first.evidence.clients.value == 5
    m.withdraw(8)
    row = {
        r.category_id: r for r in value_for_money.build(session, _actor(session, m.admin.id)).rows
    }
    first = row[m.world.categories[0].id]
    assert first.evidence.clients.suppressed and first.evidence.wellbeing.value is None
    assert first.spent.suppressed and first.per_thousand.suppressed


# --- budget_spending (operational) ------------------------------------------------------------


def test_budget_spending_is_operational_and_suppressed(session: Session) -> None:
    m = Market(session)
    admin = _actor(session, m.admin.id)
    report = spending.build(session, admin)
    [frames] = [f for f in report.frames if f.budgets.value]
    assert frames.budgets.value == 13 and frames.frame_cents.value == 13 * 100_000
    assert frames.spent_cents.value == 60_000 + 12_000 + 40_000
    m.withdraw(0)
    assert spending.build(session, admin).frames == report.frames  # not consent-scoped
    by_category = report.spending["category"][str(m.world.categories[0].id)]
    assert sum(f.clients.value or 0 for f in by_category.values()) == 13
