"""The public shell in fi and sv: zero axe violations, keyboard language switch."""

import pytest

from tests.browser.conftest import assert_accessible, new_page

PAGES = ["/", "/saavutettavuus", "/tietosuoja", "/login", "/no-such-page"]


@pytest.mark.parametrize("locale", ["fi", "sv"])
@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_axe_violations(browser, live_server, locale, path):
    page = new_page(browser, locale)
    try:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == (404 if path == "/no-such-page" else 200)
        assert page.locator("html").get_attribute("lang") == locale
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    finally:
        page.context.close()


def test_language_switch_works_by_keyboard(page_fi, live_server):
    page = page_fi
    page.goto(live_server.url + "/saavutettavuus")
    assert page.locator("h1").inner_text() == "Saavutettavuusseloste"
    # Tab from the top of the page to the language button, open it, Tab on to Swedish.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('details.lang-menu > summary')"):
            break
    else:
        pytest.fail("the language button was not reachable by keyboard")
    page.keyboard.press("Enter")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "sv":
            break
    else:
        pytest.fail("the Swedish language link was not reachable by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/saavutettavuus")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == "Tillgänglighetsutlåtande"


def test_skip_link_moves_focus_to_main(page_fi, live_server):
    page = page_fi
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_page_works_at_320px_without_horizontal_scroll(browser, live_server):
    page = new_page(browser, "fi", viewport={"width": 320, "height": 640})
    try:
        page.goto(live_server.url + "/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320
    finally:
        page.context.close()


def test_axe_check_detects_a_real_violation(page_fi):
    # Guards against a vacuous accessibility gate: axe must report a known problem.
    from tests.browser.conftest import axe_violations

    page_fi.set_content('<html lang="fi"><body><main><img src="x.png"></main></body></html>')
    assert "image-alt" in {v["id"] for v in axe_violations(page_fi)}
