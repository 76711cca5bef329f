"""The budget journey on a phone by keyboard, in fi and sv, with zero axe violations:
the client plans within the frame (live check), submits; the case worker confirms; the
provider accepts and reports a delivery; the client confirms it; the balance shows it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from app.models.budget import ExperimentArm
from app.models.offer import Offer, OfferStatus, Unit
from app.models.organiser import Category, Organiser
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.user import Membership, Role, User
from app.services.budget import frames as budget_service
from app.services.identity.users import load_actor
from tests.browser.conftest import assert_accessible, login, new_page

TEXTS = {
    "fi": {"considering": "harkitsemasi", "sent": "Lähetetty vahvistettavaksi"},
    "sv": {"considering": "överväger", "sent": "Skickad för bekräftelse"},
}


def _setup(live_server: Any, locale: str) -> dict[str, Any]:
    with live_server.session() as s:
        organiser = s.exec(select(Organiser).where(Organiser.code == "jarvimaa")).one()
        worker = s.exec(select(User).where(User.dev_persona == "case-worker")).one()
        category = s.exec(select(Category).where(Category.organiser_id == organiser.id)).first()
        provider = Provider(
            name=f"E2E Hoiva {locale}", business_id=f"765432{len(locale)}-{ord(locale[0]) % 10}"
        )
        s.add(provider)
        s.flush()
        s.add(
            ProviderApproval(
                provider_id=provider.id, organiser_id=organiser.id, status=ApprovalStatus.approved
            )
        )
        offer = Offer(
            provider_id=provider.id,
            category_id=category.id,  # type: ignore[union-attr]
            title={"fi": f"Avustaja {locale}", "sv": f"Assistent {locale}"},
            unit=Unit.hour,
            unit_price_cents=1_000,
            status=OfferStatus.published,
        )
        client = User(
            display_name=f"E2E Asiakas {locale}", locale=locale, dev_persona=f"e2e-client-{locale}"
        )
        seller = User(
            display_name=f"E2E Tuottaja {locale}",
            locale=locale,
            dev_persona=f"e2e-provider-{locale}",
        )
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
        actor = load_actor(s, worker.id)  # type: ignore[arg-type]
        assert actor is not None
        year = date.today().year
        budget_service.set_frame(
            s,
            actor,
            client.id,  # type: ignore[arg-type]
            budget_service.FrameInput(
                50_000, ExperimentArm.a, {}, "e2e", date(year, 1, 1), date(year, 12, 31)
            ),
        )
        s.commit()
        return {"client_id": client.id, "offer_id": offer.id}


def _fill(page: Any, selector: str, value: str) -> None:
    page.focus(selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(value)


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_budget_journey(browser: Any, live_server: Any, locale: str) -> None:
    ids = _setup(live_server, locale)
    base = live_server.url
    texts = TEXTS[locale]

    page = new_page(browser, locale)
    login(page, base, f"e2e-client-{locale}")
    page.goto(base + "/oma/budjetti")
    assert_accessible(page)
    page.focus("#f-offer_id")
    page.select_option("#f-offer_id", str(ids["offer_id"]))
    _fill(page, "#f-quantity", "2")
    page.keyboard.press("Tab")
    _fill(page, "#f-repeats", "3")
    page.locator("#fit", has_text=texts["considering"]).wait_for()
    page.locator("[data-testid=plan-total]", has_text="60,00").wait_for()  # live check
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the add form
    assert "60,00" in page.locator("[data-testid=plan-total]").inner_text()
    assert "440,00" in page.locator("[data-testid=plan-remaining]").inner_text()
    page.focus("#f-note")
    page.keyboard.type("Kiitos" if locale == "fi" else "Tack")
    page.focus("form[action='/oma/budjetti/laheta'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert texts["sent"] in page.locator("main").inner_text()
    assert_accessible(page)
    page.context.close()

    page = new_page(browser, locale)
    login(page, base, "case-worker")
    page.goto(f"{base}/asiakkaat/{ids['client_id']}/budjetti")
    assert_accessible(page)
    page.focus("form[action$='/vahvista'] button.button:not(.button-secondary)")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.context.close()

    page = new_page(browser, locale)
    login(page, base, f"e2e-provider-{locale}")
    page.goto(base + "/tuottaja/tilaukset")
    assert_accessible(page)
    page.focus("main a[href^='/tuottaja/tilaukset/']")  # the new order, first on the page
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    page.focus("form[action$='/hyvaksy'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _fill(page, "input[name=units]", "2")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    page.context.close()

    page = new_page(browser, locale)
    login(page, base, f"e2e-client-{locale}")
    page.goto(base + "/oma/toimitukset")
    assert_accessible(page)
    page.focus("form[action$='/vahvista'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(base + "/oma/saldo")
    assert "20,00" in page.locator("[data-testid=spent]").inner_text()
    # Free: the frame less what is spent and what the confirmed plan still holds.
    assert "40,00" in page.locator("[data-testid=committed]").inner_text()
    assert "440,00" in page.locator("[data-testid=free]").inner_text()
    assert_accessible(page)
    page.context.close()
