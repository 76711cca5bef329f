"""A whole self-assessment by keyboard only on a phone (360×740), fi and sv, axe on every step."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible, login, new_page

FOCUSED = """() => { const e = document.activeElement;
  return {tag: e.tagName, type: e.type || '', name: e.name || '', value: e.value || '',
          instrument: e.form && e.form.instrument ? e.form.instrument.value : '',
          action: e.form ? e.form.getAttribute('action') || '' : ''}; }"""


def _tab_until(page: Any, wanted: Any, limit: int = 120) -> dict[str, str]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if wanted(info):
            return info
    pytest.fail("the control was not reachable by keyboard")


def _answer_section(page: Any) -> None:
    """Answer every question of the screen by keyboard, then press Enter on Next."""
    answered: set[str] = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        name = info["name"]
        if info["type"] == "radio" and name.startswith("a-") and name not in answered:
            page.keyboard.press("Space")
            if name not in ("a-has_children",):
                page.keyboard.press("ArrowRight")  # pick the next value with the arrow keys
            answered.add(name)
        elif info["tag"] == "TEXTAREA" and name not in answered:
            page.keyboard.type("Perhe ja ystävät")
            answered.add(name)
        elif info["tag"] == "BUTTON" and name == "action" and info["value"] == "next":
            # Answers were saved as they were given (HTMX), before the page is left.
            page.wait_for_function(
                "document.querySelector('#save-status').textContent.trim().length > 0"
                " && !document.querySelector('.htmx-request')"
            )
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    pytest.fail("the Next button was not reachable by keyboard")


@pytest.mark.parametrize(("locale", "persona"), [("fi", "client"), ("sv", "client-sv")])
def test_whole_assessment_by_keyboard_on_a_phone(browser, live_server, locale, persona):
    page = new_page(browser, locale)
    try:
        login(page, live_server.url, persona)
        page.goto(live_server.url + "/oma/arviointi")
        assert page.locator("html").get_attribute("lang") == locale
        assert_accessible(page)
        _tab_until(page, lambda i: i["tag"] == "BUTTON" and i["instrument"] == "life-situation")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        screens = 0
        while "/osio/" in page.url:
            screens += 1
            assert page.locator("fieldset legend").count() >= 1 or screens == 1
            assert page.locator("progress").count() == 1
            assert_accessible(page)
            _answer_section(page)
            assert screens < 15
        assert screens == 9  # 8 parts + parenthood, shown because we answered "yes"
        assert page.url.endswith("/tarkista")
        assert_accessible(page)
        _tab_until(page, lambda i: i["tag"] == "BUTTON" and i["action"].endswith("/laheta"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/tulokset?lahetetty=1")
        assert_accessible(page)
        chart = page.locator('svg[role="img"]')
        assert chart.count() == 1
        labelled_by = chart.get_attribute("aria-labelledby") or ""
        title_id, desc_id = labelled_by.split()
        assert page.locator(f"#{title_id}").text_content()
        desc = page.locator(f"#{desc_id}").text_content() or ""
        assert desc.count(";") >= 7  # every area named with its score in the text alternative
        assert page.locator("table tbody tr").count() == 8
        page.goto(page.url.replace("/tulokset?lahetetty=1", "/tulosta"))
        assert_accessible(page)
    finally:
        page.context.close()


def test_goal_pages_are_accessible(browser, live_server):
    page = new_page(browser, "sv")
    try:
        login(page, live_server.url, "client-sv")
        for path in ("/oma/tavoitteet", "/oma/tavoitteet/uusi"):
            page.goto(live_server.url + path)
            assert_accessible(page)
        page.goto(live_server.url + "/oma/tavoitteet")
        page.locator(".instrument-list h2 a").first.click()
        page.wait_for_load_state()
        assert page.locator(".timeline li").count() >= 2
        assert_accessible(page)
    finally:
        page.context.close()
