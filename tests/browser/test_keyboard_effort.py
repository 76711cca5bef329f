"""Keyboard effort, counted: a client compares two offers in at most 30 Tab presses from the top
of the search results page (the "Compare" button follows each ticked box, so nobody tabs past
every result). The case worker's "Confirm the plan" (≤ 25) is counted in the case-worker
journey, the provider's newest order (≤ 15, among many orders) in
test_provider_worker_screens.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PHONE, assert_accessible, login, new_page

COMPARE_TAB_LIMIT = 30
FOCUS_KIND = """() => {
  const el = document.activeElement;
  if (el.matches('.result input[name=offer]')) return 'box';
  if (el.matches('.compare-now, .compare-all')) return 'button';
  return '';
}"""


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_compare_two_offers_within_30_tab_presses(
    browser: Any, live_server: Any, locale: str
) -> None:
    page = new_page(browser, locale, PHONE)
    try:
        login(page, live_server.url, "client" if locale == "fi" else "client-sv")
        page.goto(live_server.url + "/palvelut?q=terapia")
        assert page.locator(".result").count() >= 2
        ticked = 0
        for _press in range(COMPARE_TAB_LIMIT):
            page.keyboard.press("Tab")
            kind = page.evaluate(FOCUS_KIND)
            if kind == "box" and ticked < 2:
                page.keyboard.press("Space")
                ticked += 1
            elif kind == "button" and ticked == 2:
                assert_accessible(page)  # with the per-result button shown
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                break
        else:
            pytest.fail(f"two offers were not compared within {COMPARE_TAB_LIMIT} Tab presses")
        assert "/palvelut/vertaa" in page.url
        assert page.locator("table thead th[scope=col]").count() == 2
    finally:
        page.context.close()
