"""Identity pages in a real browser, fi and sv: axe clean, the acting banner on every page."""

import pytest
from sqlmodel import select

from app import i18n
from app.models.user import User
from tests.browser.conftest import assert_accessible, login, new_page

ASSISTANT_BANNER = {
    "fi": "Toimit asiakkaan Aino Virtanen puolesta.",
    "sv": "Du agerar för Aino Virtanen.",
}


def _use_language(page, base_url: str, locale: str) -> None:
    host = base_url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [{"name": i18n.LOCALE_COOKIE, "value": locale, "domain": host, "path": "/"}]
    )


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_assistant_acting_banner_is_accessible_and_everywhere(browser, live_server, locale):
    page = new_page(browser, locale)
    try:
        login(page, live_server.url, "assistant")
        _use_language(page, live_server.url, locale)
        page.goto(live_server.url + "/avustaja")
        assert_accessible(page)
        page.locator("form[action^='/avustaja/toimi/'] button").first.click()
        page.wait_for_url(live_server.url + "/")
        for path in ("/", "/avustaja", "/oma/valtuutukset", "/saavutettavuus"):
            page.goto(live_server.url + path)
            banner = page.locator(".banner-acting")
            assert banner.is_visible()
            assert ASSISTANT_BANNER[locale] in banner.inner_text()
            assert page.locator("html").get_attribute("lang") == locale
            assert_accessible(page)
        page.locator(".banner-acting button").click()
        page.wait_for_url(live_server.url + "/avustaja")
        assert page.locator(".banner-acting").count() == 0
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_dev_login_persona_page_is_accessible(browser, live_server, locale):
    page = new_page(browser, locale)
    try:
        page.goto(live_server.url + "/login")
        assert page.locator(".persona-list li").count() >= 5
        assert_accessible(page)
        page.keyboard.press("Tab")
        login(page, live_server.url, "client")
        page.locator("details.site-menu > summary").click()  # the name is in the menu
        assert "Aino Virtanen" in page.locator(".user-name").inner_text()
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("client", "/oma/valtuutukset"),
        ("client", "/oma/lokitiedot"),
        ("admin", "/hallinto/lokitiedot?haku=1"),
        ("case-worker", "/asiakkaat/{client_id}/valtuutukset"),
    ],
)
def test_identity_pages_are_accessible(browser, live_server, locale, persona, path):
    with live_server.session() as s:
        client_id = s.exec(select(User.id).where(User.dev_persona == "client")).one()
    page = new_page(browser, locale)
    try:
        login(page, live_server.url, persona)
        _use_language(page, live_server.url, locale)
        response = page.goto(live_server.url + path.format(client_id=client_id))
        assert response is not None and response.status == 200
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    finally:
        page.context.close()


def test_session_warning_appears_and_extends_without_inline_script(browser, live_server):
    page = new_page(browser, "fi")
    try:
        login(page, live_server.url, "client")
        page.goto(live_server.url + "/oma/valtuutukset")
        warning = page.locator("#session-warning")
        assert warning.is_hidden()
        # Pretend the session is about to end: hebu.js reschedules from data-session-seconds.
        page.evaluate("document.body.dataset.sessionSeconds = '121'")
        page.evaluate("document.dispatchEvent(new Event('htmx:afterRequest'))")
        warning.wait_for(state="visible", timeout=5000)
        assert_accessible(page)
        with page.expect_response("**/session/extend") as info:
            warning.locator("button").click()
        assert info.value.status == 200
        assert warning.is_hidden()
    finally:
        page.context.close()
