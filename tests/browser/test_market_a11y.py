"""The provider's own effects page and the organiser's need-against-supply page (with value for
money and the budget follow-up), in fi and sv, by keyboard, with zero axe violations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible, login, new_page

TEXTS = {
    "fi": {
        "effects": "Palvelujemme vaikutukset",
        "need": "Tarve ja tarjonta",
        "gaps": "Missä tarjonta puuttuu",
    },
    "sv": {
        "effects": "Effekterna av våra tjänster",
        "need": "Behov och utbud",
        "gaps": "Där utbudet saknas",
    },
}


def _choose(page: Any, url: str, locale: str, path: str) -> None:
    """The demo personas prefer Finnish: choose the language like a user would."""
    page.goto(f"{url}/lang/{locale}?next={path}")
    assert page.locator("html").get_attribute("lang") == locale


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_provider_effects_page(browser: Any, live_server: Any, locale: str) -> None:
    page = new_page(browser, locale, viewport={"width": 1280, "height": 900})
    try:
        login(page, live_server.url, "provider-owner")
        _choose(page, live_server.url, locale, "/tuottaja/vaikutukset")
        assert page.locator("h1").inner_text() == TEXTS[locale]["effects"]
        assert page.locator("main table tbody tr").count() >= 2  # all services, then each one
        assert page.locator('svg[role="img"] title').count() >= 1
        assert_accessible(page)
        # The table's scroll region is reachable by keyboard.
        page.locator(".table-wrap").first.focus()
        assert page.evaluate("document.activeElement.classList.contains('table-wrap')")
    finally:
        page.goto(f"{live_server.url}/lang/fi")  # leave the shared persona as it was
        page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_need_vs_supply_page(browser: Any, live_server: Any, locale: str) -> None:
    page = new_page(browser, locale, viewport={"width": 1280, "height": 900})
    try:
        login(page, live_server.url, "admin")
        _choose(page, live_server.url, locale, "/hallinto/raportit")
        link = page.get_by_role("link", name=TEXTS[locale]["need"], exact=True)
        link.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == TEXTS[locale]["need"]
        assert page.locator("main h2").first.inner_text() == TEXTS[locale]["gaps"]
        assert_accessible(page)
        for path in ("/hinta-ja-vaikutus", "/talous"):
            page.goto(live_server.url + "/hallinto/raportit" + path)
            assert page.locator("html").get_attribute("lang") == locale
            assert_accessible(page)
    finally:
        page.goto(f"{live_server.url}/lang/fi")
        page.context.close()
