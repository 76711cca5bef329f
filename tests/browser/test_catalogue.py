"""The catalogue in a browser: search as you type, filter and compare three offers by keyboard,
with zero axe violations in fi and sv on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, login, new_page

WORDS = {"fi": "terapia", "sv": "terapi"}


def focus_by_tab(page, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} was not reachable by keyboard")


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_search_filter_and_compare_by_keyboard(browser, live_server, locale):
    page = new_page(browser, locale)
    try:
        page.goto(live_server.url + "/palvelut")
        assert page.locator("html").get_attribute("lang") == locale
        assert_accessible(page)
        before = page.locator("#result-count").inner_text()

        focus_by_tab(page, "#f-q")
        page.keyboard.type(WORDS[locale], delay=30)
        page.wait_for_function(
            "(b) => document.querySelector('#result-count').innerText !== b", arg=before
        )
        page.wait_for_url(f"**q={WORDS[locale]}**")
        titles = page.locator(".result h2").all_inner_texts()
        assert titles and all("terap" in t.lower() for t in titles)
        assert_accessible(page)

        # Open the filters and tick "remote" by keyboard.
        focus_by_tab(page, ".filters summary")
        page.keyboard.press("Enter")
        searched = page.locator("#result-count").inner_text()
        focus_by_tab(page, "#fc-delivery-home")
        page.keyboard.press("Space")
        page.wait_for_function(
            "(b) => document.querySelector('#result-count').innerText !== b", arg=searched
        )
        page.wait_for_url("**delivery=home**")
        assert_accessible(page)

        # Pick three offers to compare and submit by keyboard.
        boxes = page.locator('.result input[name="offer"]')
        assert boxes.count() >= 3
        for index in range(3):
            box_id = boxes.nth(index).get_attribute("id")
            focus_by_tab(page, f"#{box_id}")
            page.keyboard.press("Space")
        focus_by_tab(page, ".compare-form .compare-all")
        page.keyboard.press("Enter")
        page.wait_for_url("**/palvelut/vertaa**")
        assert page.locator("table thead th[scope=col]").count() == 3
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_offer_and_provider_pages_are_accessible(browser, live_server, locale):
    page = new_page(browser, locale)
    try:
        page.goto(live_server.url + "/palvelut?q=terapia")
        page.locator(".result h2 a").first.click()
        page.wait_for_load_state()
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        page.locator("main a[href^='/palvelut/tuottajat/']").first.click()
        page.wait_for_load_state()
        assert_accessible(page)
    finally:
        page.context.close()


def test_search_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/palvelut")
        page.fill("#f-q", "siivous")
        page.locator("#search-form button[type=submit]").click()
        page.wait_for_url("**q=siivous**")
        assert "siivous" in page.locator(".result h2").first.inner_text().lower()
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_provider_and_admin_pages_are_accessible(browser, live_server, locale):
    from tests.browser.conftest import login

    page = new_page(browser, locale)
    try:
        login(page, live_server.url, "provider-owner")
        for path in ["/tuottaja", "/tuottaja/rekisteroidy"]:
            page.goto(live_server.url + path)
            assert page.locator("h1").count() == 1
            assert_accessible(page)
        page.goto(live_server.url + "/tuottaja")
        page.locator("main a[href^='/tuottaja/palvelut/']").first.click()
        page.wait_for_load_state()
        page.fill("#f-price", "-3")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        assert page.locator("#f-price-error").count() == 1
        assert_accessible(page)
        page.context.clear_cookies()
        login(page, live_server.url, "admin")
        for path in ["/hallinto/tuottajat", "/hallinto/luokat"]:
            page.goto(live_server.url + path)
            assert_accessible(page)
        page.goto(live_server.url + "/hallinto/tuottajat")
        page.locator("main table a").first.click()
        page.wait_for_load_state()
        assert_accessible(page)
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_an_admins_synonym_group_is_searchable_at_once(browser, live_server, locale):
    page = new_page(browser, locale)
    try:
        login(page, live_server.url, "admin")
        page.goto(live_server.url + "/hallinto/hakusanat")
        assert page.locator("h1").count() == 1
        assert page.locator("main table tbody tr").count() >= 1  # the demo's own groups
        assert_accessible(page)
        # A phrase is refused next to its field, and what was typed stays.
        page.fill("#f-words_fi", "kodin puhtaanapito")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator("#f-words_fi-error").count() == 1
        assert page.input_value("#f-words_fi") == "kodin puhtaanapito"
        assert_accessible(page)
        page.fill("#f-words_fi", "puhtaanapito, kotisiivous")
        page.fill("#f-words_sv", "renhållning")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        row = page.locator("main table tbody tr", has_text="puhtaanapito")
        assert row.count() == 1

        page.context.clear_cookies()
        page.goto(live_server.url + "/palvelut?q=puhtaanapito")
        titles = page.locator(".result h2").all_inner_texts()
        assert any("kotisiivous" in t.lower() or "hemstädning" in t.lower() for t in titles)

        login(page, live_server.url, "admin")
        page.goto(live_server.url + "/hallinto/hakusanat")
        page.locator("main table tbody tr", has_text="puhtaanapito").locator("form button").click()
        page.wait_for_load_state()
        assert page.locator("main table tbody tr", has_text="puhtaanapito").count() == 0
        page.context.clear_cookies()
        page.goto(live_server.url + "/palvelut?q=puhtaanapito")
        assert page.locator(".result h2").count() == 0
    finally:
        page.context.close()
