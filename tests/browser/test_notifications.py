"""A client is told: the header counts the unread notice, the inbox links to where to act,
and confirming the delivery there clears the notice (keyboard only, fi and sv, axe on every
page)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.services.budget import deliveries, plan
from tests.browser.conftest import new_page
from tests.browser.journey import checked, enter, login, see, t, visit
from tests.support.budget_world import TODAY, build


def _reported_delivery(live_server: Any, locale: str) -> str:
    """A confirmed plan line with an accepted order and one reported delivery; the client's
    persona."""
    with live_server.session() as s:
        world = build(s, code=f"bn{locale}")
        persona = f"bn-client-{locale}"
        world.client.dev_persona, world.client.locale = persona, locale
        world.client.display_name = f"Noora Notice {locale}"
        s.add(world.client)
        budget = world.frame(100_000)
        offer = world.offer(5_000)
        client = world.actor(world.client)
        line = plan.add_line(s, client, budget, offer.id, 4, 1, TODAY)
        plan.submit(s, client, budget, "")
        plan.confirm(s, world.actor(world.case_worker), budget, "ok")
        seller = world.actor(world.provider_user)
        deliveries.decide_order(s, seller, line.id, True)
        deliveries.report_delivery(s, seller, line.id, date(2026, 11, 30), 1, "")  # type: ignore[arg-type]
        s.commit()
    return persona


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_a_notice_leads_to_the_delivery_and_clears_when_confirmed(
    browser: Any, live_server: Any, locale: str
) -> None:
    persona = _reported_delivery(live_server, locale)
    base = live_server.url
    page = new_page(browser, locale)
    login(page, base, persona)
    checked(page)
    # Told three times: the frame was set, the plan confirmed, a delivery reported.
    unread = t(locale, "%(n)s unread", n=3)
    assert unread in page.locator(".notifications-link").inner_text()  # read out, not only a dot

    enter(page, ".notifications-link")
    checked(page)
    notice = t(locale, "A provider reported a delivery. Please confirm it.")
    see(page, notice)
    enter(page, f"main a:text-is('{notice}')")
    assert page.url == base + "/oma/toimitukset"
    checked(page)
    enter(page, "form[action$='/vahvista'] button")
    checked(page)

    visit(page, base + "/ilmoitukset")
    see(page, notice, t(locale, "Done"), t(locale, "%(n)s unread", n=2))
    done = page.locator("main li", has_text=notice)
    assert done.count() == 1 and t(locale, "Done") in done.inner_text()
    assert t(locale, "Mark read") not in done.inner_text()  # handled means read
    assert page.locator(".notifications-link .badge").inner_text() == "2"
    page.context.close()
