"""The yearly evaluation survey on a phone (360×740) and the admin's indicator report,
in fi and sv, with zero axe violations on every screen."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible, login, new_page

TEXTS = {
    "fi": {
        "title": "Vuosiarviointi",
        "start": "Vastaa kokemuskyselyyn",
        "report": "Indikaattoriraportti",
    },
    "sv": {
        "title": "Årlig utvärdering",
        "start": "Svara på erfarenhetsenkäten",
        "report": "Indikatorrapport",
    },
}


def _wait_saved(page: Any) -> None:
    page.wait_for_function("!document.querySelector('.htmx-request')")


def _answer_screen(page: Any) -> None:
    names = page.eval_on_selector_all(
        'input[type="radio"][name^="a-"]', "els => [...new Set(els.map(e => e.name))]"
    )
    for name in names:
        page.locator(f'input[name="{name}"][value="4"]').check()
    for area in page.locator('textarea[name^="a-"]').all():
        area.fill("Hyvä palvelu" if page.locator("html").get_attribute("lang") == "fi" else "Bra")
    _wait_saved(page)
    with page.expect_navigation():
        page.locator('button[name="action"][value="next"]').click()


@pytest.mark.parametrize(("locale", "persona"), [("fi", "client"), ("sv", "client-sv")])
def test_client_completes_the_yearly_survey_on_a_phone(
    browser: Any, live_server: Any, locale: str, persona: str
) -> None:
    page = new_page(browser, locale)  # the phone viewport, 360×740
    try:
        assert page.viewport_size == {"width": 360, "height": 740}
        login(page, live_server.url, persona)
        page.goto(live_server.url + "/oma/vuosiarviointi")
        assert page.locator("html").get_attribute("lang") == locale
        assert page.locator("h1").inner_text() == TEXTS[locale]["title"]
        assert_accessible(page)
        with page.expect_navigation():
            page.get_by_role("button", name=TEXTS[locale]["start"]).click()
        screens = 0
        while "/osio/" in page.url:
            screens += 1
            assert_accessible(page)
            _answer_screen(page)
            assert screens < 10
        assert screens == 7  # heard, trust, information, fit, choice, budget, overall
        assert page.url.endswith("/tarkista")
        assert_accessible(page)
        with page.expect_navigation():
            page.locator('form[action$="/laheta"] button[type="submit"]').click()
        assert "/tulokset" in page.url
        assert_accessible(page)
        # No horizontal scrolling on the phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.goto(live_server.url + "/oma/vuosiarviointi")
        assert_accessible(page)
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_admin_opens_the_indicator_report(browser: Any, live_server: Any, locale: str) -> None:
    page = new_page(browser, locale, viewport={"width": 1280, "height": 900})
    try:
        login(page, live_server.url, "admin")
        # The admin persona prefers Finnish: choose the language like a user would.
        page.goto(f"{live_server.url}/lang/{locale}?next=/hallinto/raportit")
        assert page.locator("html").get_attribute("lang") == locale
        assert_accessible(page)
        with page.expect_navigation():
            page.get_by_role("link", name=TEXTS[locale]["report"]).click()
        assert page.locator("h1").inner_text() == TEXTS[locale]["report"]
        assert page.locator("table.indicator-table tbody").count() == 12  # A … D blocks
        assert_accessible(page)
        for path in ("/vaikutukset", "/tavoitteet", "/kustannukset"):
            page.goto(live_server.url + "/hallinto/raportit" + path)
            assert_accessible(page)
    finally:
        page.goto(f"{live_server.url}/lang/fi")  # leave the shared persona as it was
        page.context.close()
