"""A disputed delivery, by keyboard in fi and sv, with zero axe violations on every page: the
client disputes two reported deliveries ("Ei pidä paikkaansa" / "Det stämmer inte"), the
provider corrects one and stands by the other, the case worker rejects the contested one, the
client confirms the corrected report; each of the three sees what happened, step by step."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import new_page
from tests.browser.journey import checked, enter, fill, login, see, t, visit
from tests.browser.money_world import money_world


def _pick_radio(page: Any, name_prefix: str, value: str) -> None:
    """Move the choice of a radio group with the arrow keys from the checked option."""
    page.focus(f"input[type=radio][id^='{name_prefix}']:checked")
    for _ in range(6):
        if page.evaluate("() => document.activeElement.value") == value:
            assert page.evaluate("() => document.activeElement.checked")
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"{value!r} of {name_prefix} was not reachable by keyboard")


def _history(page: Any, card: str) -> str:
    """Open the history of a delivery card by keyboard (Enter on its summary) and read it."""
    summary = page.locator(f"{card} details.delivery-history > summary")
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.focus()
        page.keyboard.press("Enter")
    return str(page.locator(f"{card} details.delivery-history").inner_text())


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_a_dispute_is_corrected_contested_and_decided(
    browser: Any, live_server: Any, locale: str
) -> None:
    world = money_world(live_server, "dsp", locale, [2, 1])
    corrected, contested = world.deliveries
    base = live_server.url
    why = {"fi": "Kävit vain kerran", "sv": "Du kom bara en gång"}[locale]
    not_right = t(locale, "This is not right")
    assert not_right == {"fi": "Ei pidä paikkaansa", "sv": "Det stämmer inte"}[locale]

    # The client disputes both: the first in plain words, the second: wrong number of units.
    page = new_page(browser, locale)
    login(page, base, world.client)
    visit(page, base + "/oma/toimitukset")
    see(page, not_right, t(locale, "Is something wrong?"))
    assert page.is_checked(f"#code-{corrected}-not_right")  # the plain reason comes first
    fill(page, f"#reason-{corrected}", why)
    enter(page, f"form[action='/oma/toimitukset/{corrected}/kiista'] button[type=submit]")
    checked(page)
    _pick_radio(page, f"code-{contested}-", "wrong_units")
    page.locator(f"form[action='/oma/toimitukset/{contested}/kiista'] button").focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    checked(page)
    disputed = t(locale, "Disputed: waiting for the provider")
    for delivery in (corrected, contested):
        assert disputed in page.locator(f"#delivery-{delivery}").inner_text()
    history = _history(page, f"#delivery-{corrected}")
    assert t(locale, "disputed the delivery") in history and why in history
    assert not_right in history
    page.context.close()

    # The provider corrects the first (1 unit, not 2) and stands by the second.
    page = new_page(browser, locale)
    login(page, base, world.provider)
    visit(page, base + "/tuottaja/tilaukset")
    see(page, t(locale, "Disputed deliveries"))
    enter(page, f"main a[href='/tuottaja/toimitukset/{corrected}']")  # each on its own page
    checked(page)
    see(page, why, not_right)
    fill(page, "#f-units", "1")
    enter(page, f"form[action='/tuottaja/toimitukset/{corrected}/korjaa'] button")
    checked(page)
    assert page.locator("form[action$='/korjaa']").count() == 0  # answered
    visit(page, base + "/tuottaja/tilaukset")
    assert page.locator(f"main a[href='/tuottaja/toimitukset/{corrected}']").count() == 0
    enter(page, f"main a[href='/tuottaja/toimitukset/{contested}']")
    checked(page)
    stand = {"fi": "Kävimme kahdesti", "sv": "Vi kom två gånger"}[locale]
    fill(page, "#f-note", stand)
    enter(page, f"form[action='/tuottaja/toimitukset/{contested}/kiista'] button")
    checked(page)
    see(page, t(locale, "Contested: the case worker decides"))
    page.context.close()

    # The case worker rejects the contested delivery; the history says why it got there.
    page = new_page(browser, locale)
    login(page, base, world.case_worker)
    visit(page, f"{base}/asiakkaat/{world.client_id}/toimitukset")
    card = f"#delivery-{contested}"
    history = _history(page, card)
    assert t(locale, "The number of units is wrong") in history and stand in history
    _pick_radio(page, f"f-outcome-{contested}-", "reject")
    decision = {"fi": "Käynti ei näy kirjauksissa", "sv": "Besöket syns inte i anteckningarna"}
    fill(page, f"#f-note-{contested}", decision[locale])
    enter(page, f"{card} form button[type=submit]")
    checked(page)
    assert t(locale, "Rejected by the case worker") in page.locator(card).inner_text()
    assert page.locator(f"{card} form").count() == 0
    assert t(locale, "replaced it with a corrected report") in _history(
        page, f"#delivery-{corrected}"
    )
    page.context.close()

    # The client sees both outcomes and confirms the corrected report (1 unit).
    page = new_page(browser, locale)
    login(page, base, world.client)
    visit(page, base + "/oma/toimitukset")
    history = _history(page, card)
    assert t(locale, "decided: rejected") in history and decision[locale] in history
    waiting = page.locator("li.card", has_text=t(locale, "Waiting for confirmation"))
    assert waiting.count() == 1
    new_card = "#" + str(waiting.get_attribute("id"))
    assert t(locale, "reported the corrected delivery") in _history(page, new_card)
    waiting.locator("form[action$='/vahvista'] button").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)
    see(page, t(locale, "Confirmed"))
    assert page.locator("form[action$='/vahvista']").count() == 0
    page.context.close()

    # The provider's list of reports tells the same story.
    page = new_page(browser, locale)
    login(page, base, world.provider)
    visit(page, base + "/tuottaja/tilaukset")
    assert page.locator("#disputed-heading").count() == 0  # nothing left to answer
    visit(page, base + "/tuottaja/toimitukset")  # the delivery history
    see(page, t(locale, "Rejected by the case worker"), t(locale, "Replaced by a corrected report"))
    page.context.close()
