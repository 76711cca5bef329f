"""A provider's settlement through its states, by keyboard in fi and sv, with zero axe
violations on every page: the organiser admin opens the month, approves the settlement,
downloads its lines (CSV) and its bank file (pain.001), marks it sent and paid; the provider
sees the settlement and the state of each line at every step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import new_page
from tests.browser.journey import checked, enter, fill, login, see, t, visit
from tests.browser.money_world import money_world


def _download(page: Any, selector: str) -> str:
    """Focus a download link, press Enter and read the file it gives."""
    page.locator(selector).focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    return Path(info.value.path()).read_text(encoding="utf-8")


def _provider_sees(browser: Any, base: str, persona: str, locale: str, state: str) -> None:
    """The provider's settlements page shows the settlement and each line in `state`."""
    page = new_page(browser, locale)
    login(page, base, persona)
    visit(page, base + "/tuottaja/tilitykset")
    rows = page.locator("main tbody tr")
    assert rows.count() == 2
    for index in range(2):
        assert rows.nth(index).locator("td").last.inner_text() == t(locale, state)
    see(page, t(locale, state), "150,00")
    page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_a_settlement_is_approved_sent_and_paid(
    browser: Any, live_server: Any, locale: str
) -> None:
    world = money_world(live_server, "stl", locale, [2, 1], confirm=True)
    base = live_server.url
    _provider_sees(browser, base, world.provider, locale, "Open")

    page = new_page(browser, locale)
    login(page, base, world.admin)
    visit(page, base + "/hallinto/tilitys?month=2026-11")
    see(page, world.provider_name, "150,00", t(locale, "Open"))
    enter(page, f"main a:text-is('{world.provider_name}')")
    checked(page)
    reference = page.locator("dl.summary dd").nth(1).inner_text()
    assert reference.startswith("RF")
    lines = _download(page, "a[href$='/rivit.csv']")
    assert lines.count(f"{reference};2026-11;open;") == 2  # one row per delivery
    assert lines.count("AS-") == 2 and "Aino" not in lines  # clients by pseudonym only
    assert page.locator("a[href$='/maksu.xml']").count() == 0  # no bank file before approval

    enter(page, "form[action$='/hyvaksy'] button")
    checked(page)
    see(page, t(locale, "Approved"), t(locale, "Mark as sent for payment"))
    bank = _download(page, "a[href$='/maksu.xml']")
    assert "pain.001.001.03" in bank and f"<Ref>{reference}</Ref>" in bank
    assert "FI5542345670000081" in bank and '<InstdAmt Ccy="EUR">150.00</InstdAmt>' in bank
    page.context.close()
    _provider_sees(browser, base, world.provider, locale, "Approved")

    page = new_page(browser, locale)
    login(page, base, world.admin)
    visit(page, base + "/hallinto/tilitys?month=2026-11")
    enter(page, f"main a:text-is('{world.provider_name}')")
    checked(page)
    page.locator("form[action$='/lahetetty'] button").focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    checked(page)
    see(page, t(locale, "Sent for payment"))
    enter(page, "form[action$='/maksettu'] button")
    checked(page)
    see(page, t(locale, "This settlement has been paid."), t(locale, "Paid"))
    assert page.locator("section:has(#settlement-actions) form").count() == 0
    page.context.close()
    _provider_sees(browser, base, world.provider, locale, "Paid")


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_the_admin_sets_the_bank_account_the_file_pays_from(
    browser: Any, live_server: Any, locale: str
) -> None:
    world = money_world(live_server, "bnk", locale, [1])
    base = live_server.url
    page = new_page(browser, locale)
    login(page, base, world.admin)
    visit(page, base + "/hallinto/pankkitili")
    form = "main form[action^='/hallinto/pankkitili/']"
    iban = page.locator(f"{form} input[name=iban]").get_attribute("id")
    fill(page, f"#{iban}", "FI21 1234 5600 0007 86")  # a wrong check digit
    enter(page, f"{form} button[type=submit]")
    checked(page)
    see(
        page,
        t(
            locale,
            "Check the account number: an IBAN such as FI21 1234 5600 0007 85 (the check digits "
            "did not match).",
        ),
    )
    assert page.input_value("#f-iban") == "FI21 1234 5600 0007 86"  # what was typed stays
    assert page.get_attribute("#error-summary a", "href") == "#f-iban"  # leads to the field
    fill(page, "#f-iban", "FI55 4234 5670 0000 81")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field sends its form
    page.wait_for_load_state()
    checked(page)
    assert page.locator("#error-summary").count() == 0
    assert page.input_value(f"#{iban}") == "FI5542345670000081"
    page.context.close()
