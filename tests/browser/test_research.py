"""Research in a real browser, fi and sv, axe clean: the admin's arm comparison, and a client
giving and withdrawing research consent on a phone."""

import pytest

from app import i18n
from tests.browser.conftest import assert_accessible, login, new_page

DESKTOP = {"width": 1280, "height": 900}
TITLES = {
    "fi": ("Koeryhmien vertailu", "Selkeästi sanottuna"),
    "sv": ("Jämförelse av armarna", "Med enkla ord"),
}
CONSENT = {
    "fi": (
        "Suostun, että tietojani käytetään tutkimuksessa",
        "Olet antanut suostumuksesi.",
        "Peru suostumukseni",
        "Olet perunut suostumuksesi.",
    ),
    "sv": (
        "Jag samtycker till att mina uppgifter används i forskning",
        "Du har gett ditt samtycke.",
        "Återkalla mitt samtycke",
        "Du har återkallat ditt samtycke.",
    ),
}


def _use_language(page, base_url: str, locale: str) -> None:
    host = base_url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [{"name": i18n.LOCALE_COOKIE, "value": locale, "domain": host, "path": "/"}]
    )


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_admin_opens_the_arm_comparison(browser, live_server, locale):
    page = new_page(browser, locale, viewport=DESKTOP)
    try:
        login(page, live_server.url, "admin")
        _use_language(page, live_server.url, locale)
        page.goto(live_server.url + "/hallinto/koe")
        assert_accessible(page)
        page.locator("a[href='/hallinto/koe/vertailu']").first.click()
        page.wait_for_url(live_server.url + "/hallinto/koe/vertailu")
        title, summary = TITLES[locale]
        assert page.locator("h1").inner_text() == title
        assert page.get_by_role("heading", name=summary).is_visible()
        # The synthetic cohort fills the arms: numbers, not only suppressed cells.
        assert page.locator("section[aria-labelledby^='q-'] table").count() == 4
        assert "95" in page.locator("table").first.inner_text()
        assert_accessible(page)
    finally:
        page.context.close()


@pytest.mark.parametrize(("locale", "persona"), [("fi", "client"), ("sv", "client-sv")])
def test_client_gives_and_withdraws_consent_on_a_phone(browser, live_server, locale, persona):
    page = new_page(browser, locale)  # phone viewport
    try:
        login(page, live_server.url, persona)
        _use_language(page, live_server.url, locale)
        page.goto(live_server.url + "/oma/tutkimus")
        assert_accessible(page)
        agree, given, withdraw, withdrawn = CONSENT[locale]
        page.get_by_role("button", name=agree).click()
        page.wait_for_load_state()
        assert given in page.locator("main").inner_text()
        assert page.locator("main .notice-success").is_visible()
        assert_accessible(page)
        page.get_by_role("button", name=withdraw).click()
        page.wait_for_load_state()
        assert withdrawn in page.locator("main").inner_text()
        assert_accessible(page)
        page.locator("a[href='/tietojen-kaytto']").first.click()
        page.wait_for_url(live_server.url + "/tietojen-kaytto")
        assert_accessible(page)
        page.goto(live_server.url + "/oma/tietoni")
        assert_accessible(page)
    finally:
        page.context.close()
