"""A client rates a delivered service on a phone by keyboard, in fi and sv, 0 axe violations;
the offer page's rating summary, the provider's replies and the moderation queue pass axe."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from app.models.budget import ExperimentArm
from app.models.offer import Offer, OfferStatus, Unit
from app.models.organiser import Category, Organiser
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.rating import Rating
from app.models.user import Membership, Role, User
from app.services.budget import deliveries, plan
from app.services.budget import frames as budget_service
from app.services.identity.users import load_actor
from tests.browser.conftest import PHONE, assert_accessible, login, new_page

TEXTS = {
    "fi": {"rate": "Arvioi palvelu", "saved": "Arviosi on tallennettu", "stars": "tähteä"},
    "sv": {"rate": "Bedöm tjänsten", "saved": "Ditt omdöme har sparats", "stars": "stjärnor"},
}


def _actor(s: Any, user: User) -> Any:
    actor = load_actor(s, user.id)  # type: ignore[arg-type]
    assert actor is not None
    return actor


def _setup(live_server: Any, locale: str) -> dict[str, Any]:
    """A client with a confirmed delivery of a new offer."""
    with live_server.session() as s:
        organiser = s.exec(select(Organiser).where(Organiser.code == "jarvimaa")).one()
        worker = s.exec(select(User).where(User.dev_persona == "case-worker")).one()
        category = s.exec(select(Category).where(Category.organiser_id == organiser.id)).first()
        provider = Provider(name=f"Arvio Hoiva {locale}", business_id=f"{ord(locale[0]):07d}-5")
        s.add(provider)
        s.flush()
        s.add(
            ProviderApproval(
                provider_id=provider.id, organiser_id=organiser.id, status=ApprovalStatus.approved
            )
        )
        offer = Offer(
            provider_id=provider.id,  # type: ignore[arg-type]
            category_id=category.id,  # type: ignore[union-attr, arg-type]
            title={"fi": f"Kotiapu {locale}", "sv": f"Hemhjälp {locale}"},
            unit=Unit.hour,
            unit_price_cents=2_000,
            status=OfferStatus.published,
        )
        client = User(
            display_name=f"Arvioija {locale}", locale=locale, dev_persona=f"rate-{locale}"
        )
        seller = User(display_name=f"Myyjä {locale}", locale=locale)
        s.add_all([offer, client, seller])
        s.flush()
        s.add(
            Membership(
                user_id=client.id,
                role=Role.client,
                organiser_id=organiser.id,
                case_worker_id=worker.id,
            )
        )
        s.add(Membership(user_id=seller.id, role=Role.provider_owner, provider_id=provider.id))
        s.flush()
        today = date.today()
        budget = budget_service.set_frame(
            s,
            _actor(s, worker),
            client.id,  # type: ignore[arg-type]
            budget_service.FrameInput(
                100_000,
                ExperimentArm.a,
                {},
                "e2e",
                date(today.year, 1, 1),
                date(today.year, 12, 31),
            ),
        )
        me = _actor(s, client)
        line = plan.add_line(s, me, budget, offer.id, 1, 5, today)  # type: ignore[arg-type]
        plan.submit(s, me, budget, "")
        plan.confirm(s, _actor(s, worker), budget, "")
        firm = _actor(s, seller)
        deliveries.decide_order(s, firm, line.id, True)  # type: ignore[arg-type]
        done = deliveries.report_delivery(s, firm, line.id, today, 1, "")  # type: ignore[arg-type]
        deliveries.accept(s, me, budget, done.id)  # type: ignore[arg-type]
        s.commit()
        return {"offer_id": offer.id, "client_id": client.id}


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_client_rates_by_keyboard_on_a_phone(browser: Any, live_server: Any, locale: str) -> None:
    ids = _setup(live_server, locale)
    base = live_server.url
    texts = TEXTS[locale]
    page = new_page(browser, locale, PHONE)
    login(page, base, f"rate-{locale}")
    page.goto(base + "/oma/toimitukset")
    assert_accessible(page)
    link = page.locator(f"a[href='/oma/arviot/{ids['offer_id']}']")
    assert texts["rate"] in link.inner_text()
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    # Stars: focus the group, pick 5 with Space, then ArrowDown moves the choice to 4.
    page.focus("#f-quality")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert page.locator("input[name=quality]:checked").get_attribute("value") == "4"
    page.keyboard.press("Tab")  # into the effect group
    page.keyboard.press("Space")
    assert page.locator("input[name=effect]:checked").get_attribute("value") == "4"
    page.keyboard.press("Tab")  # the comment
    page.keyboard.type("Hyvä apu" if locale == "fi" else "Bra hjälp")
    page.keyboard.press("Tab")  # the submit button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert texts["saved"] in page.locator("main").inner_text()
    assert texts["stars"] in page.locator("main").inner_text()
    assert_accessible(page)
    page.context.close()
    with live_server.session() as s:
        rating = s.exec(select(Rating).where(Rating.client_id == ids["client_id"])).one()
        assert (rating.quality, rating.effect) == (4, 4)


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_rating_pages_are_accessible(browser: Any, live_server: Any, locale: str) -> None:
    base = live_server.url
    with live_server.session() as s:
        rated = s.exec(select(Rating.offer_id).order_by(Rating.id)).first()
    page = new_page(browser, locale, PHONE)
    login(page, base, "client")
    page.goto(f"{base}/palvelut/{rated}")
    assert page.locator("#arviot table").count() >= 1  # the demo offer has a summary
    page.locator("#arviot details.report summary").first.click()
    assert_accessible(page)
    page.goto(base + "/oma/arviot")
    assert_accessible(page)
    page.context.close()
    for persona, url in (("provider-owner", "/tuottaja/arviot"), ("admin", "/hallinto/arviot")):
        page = new_page(browser, locale, PHONE)
        login(page, base, persona)
        page.goto(base + url)
        assert page.locator("main form").count() >= 1
        assert_accessible(page)
        page.context.close()
