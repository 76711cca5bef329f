"""A 360 × 740 phone: every page's heading starts within the first 200 px for every role (fi and
sv, also while an assistant acts for a client), and no table cell with data or an action lies
outside the screen (tables become cards); the menu puts a client's daily things first; the
language switch and the menu open by keyboard and without JavaScript, close with Escape, and
pass axe while open."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PHONE, assert_accessible, login, new_page

PERSONAS = ["client", "assistant", "case-worker", "provider-owner", "admin"]
H1_TOP_LIMIT = 200
H1_TOP = "(() => { const h = document.querySelector('main h1');"
H1_TOP += " return h ? h.getBoundingClientRect().top + window.scrollY : null; })()"
OFF_SCREEN = """(width) => Array.from(
  document.querySelectorAll('main tbody td, main tbody th, main tfoot td, main tfoot th'))
  .filter(c => c.getClientRects().length
    && (c.textContent.trim() || c.querySelector('a, button, input, select, textarea')))
  .filter(c => { const r = c.getBoundingClientRect(); return r.left < -1 || r.right > width + 1; })
  .map(c => c.textContent.trim().slice(0, 40))"""
MENU_LINKS = "els => els.map(e => e.getAttribute('href')).filter(h => h && h.startsWith('/'))"


def _menu_hrefs(page: Any) -> list[str]:
    """The menu's entries, read from the page (a closed <details> keeps them in the DOM)."""
    return list(dict.fromkeys(page.eval_on_selector_all(".site-menu nav a", MENU_LINKS)))


def _heading_top(page: Any, base: str, path: str) -> float:
    response = page.goto(base + path)
    assert response is not None and response.status == 200, path
    top = page.evaluate(H1_TOP)
    assert top is not None, f"{path} has no h1 in main"
    return float(top)


def _off_screen_cells(page: Any) -> list[str]:
    return list(page.evaluate(OFF_SCREEN, PHONE["width"]))


def _detail_pages(page: Any, base: str, persona: str) -> list[str]:
    """A few pages one step below the menu (a case worker's client pages, a provider's order
    and delivery), where the wide tables are."""
    if persona == "provider-owner":  # an order and a reported delivery, each on its own page
        page.goto(base + "/tuottaja/toimitukset")
        links = page.eval_on_selector_all(
            "main tbody a[href^='/tuottaja/toimitukset/']", MENU_LINKS
        )
        page.goto(base + "/tuottaja/tilaukset")
        links += page.eval_on_selector_all("main a[href^='/tuottaja/tilaukset/']", MENU_LINKS)
        return list(dict.fromkeys(links))[:3]
    if persona != "case-worker":
        return []
    page.goto(base + "/asiakkaat/budjetit")
    links = page.eval_on_selector_all("main table a[href^='/asiakkaat/']", MENU_LINKS)
    return list(dict.fromkeys(links))[:4]


def _switch_language(page: Any, base: str, locale: str) -> None:
    if locale != "fi":
        page.goto(f"{base}/lang/{locale}?next=/")
        assert page.locator("html").get_attribute("lang") == locale


@pytest.mark.parametrize("locale", ["fi", "sv"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_fits_a_phone(browser: Any, live_server: Any, persona: str, locale: str) -> None:
    page = new_page(browser, locale, PHONE)
    try:
        login(page, live_server.url, persona)
        _switch_language(page, live_server.url, locale)
        page.goto(live_server.url + "/ilmoitukset")
        hrefs = _menu_hrefs(page)
        assert hrefs, "the menu has entries"
        pages = [*hrefs, "/ilmoitukset", *_detail_pages(page, live_server.url, persona)]
        late: dict[str, float] = {}
        outside: dict[str, list[str]] = {}
        for path in pages:
            top = _heading_top(page, live_server.url, path)
            if top > H1_TOP_LIMIT:
                late[path] = top
            if cells := _off_screen_cells(page):
                outside[path] = cells
        assert late == {}, f"headings start below {H1_TOP_LIMIT} px: {late}"
        assert outside == {}, f"table cells outside a {PHONE['width']} px screen: {outside}"
    finally:
        page.context.close()


def test_acting_for_a_client_keeps_the_heading_on_the_first_screen(
    browser: Any, live_server: Any
) -> None:
    page = new_page(browser, "fi", PHONE)
    try:
        login(page, live_server.url, "assistant")
        page.goto(live_server.url + "/avustaja")
        act = page.locator("form[action^='/avustaja/toimi/'] button").first
        assert act.count() == 1, "the demo assistant has a client with a mandate"
        with page.expect_navigation():
            act.click()
        assert page.locator(".banner-acting").is_visible()
        for path in ["/oma/budjetti", "/oma/arviointi", "/palvelut"]:
            top = _heading_top(page, live_server.url, path)
            assert page.locator(".banner-acting").is_visible(), path
            assert top <= H1_TOP_LIMIT, f"{path}: the heading starts at {top} px"
    finally:
        page.context.close()


def test_a_clients_menu_puts_daily_things_first(browser: Any, live_server: Any) -> None:
    page = new_page(browser, "fi", PHONE)
    try:
        login(page, live_server.url, "client")
        main = page.eval_on_selector_all(".site-menu nav > ul:first-of-type a", MENU_LINKS)
        more = page.eval_on_selector_all(".site-menu nav > ul[aria-labelledby] a", MENU_LINKS)
        assert main[:4] == ["/oma/budjetti", "/oma/saldo", "/oma/toimitukset", "/palvelut"]
        assert {"/oma/lokitiedot", "/oma/tutkimus", "/oma/valtuutukset"} <= set(more)
        assert not set(main) & set(more)
        # Messages are one tap away in the bar itself, with the unread count read out.
        assert page.locator("header a.notifications-link[href='/ilmoitukset']").is_visible()
    finally:
        page.context.close()


def test_menu_and_language_by_keyboard(browser: Any, live_server: Any) -> None:
    page = new_page(browser, "sv", PHONE)
    try:
        login(page, live_server.url, "client")
        menu = page.locator("details.site-menu")
        summary = menu.locator("summary")
        summary.focus()
        page.keyboard.press("Enter")
        assert menu.get_attribute("open") is not None
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('details.site-menu') !== null")
        assert focused, "the first menu entry follows the menu button in the Tab order"
        assert page.locator(".site-menu nav a").first.is_visible()
        assert_accessible(page)  # axe with the menu open
        page.keyboard.press("Escape")
        assert menu.get_attribute("open") is None
        assert page.evaluate("document.activeElement.matches('details.site-menu > summary')")
        # The language switch: opening it closes the menu; a language is one Tab and Enter on.
        summary.focus()
        page.keyboard.press("Enter")
        lang = page.locator("details.lang-menu")
        lang.locator("summary").focus()
        page.keyboard.press("Enter")
        assert lang.get_attribute("open") is not None
        # One disclosure open at a time (the toggle event closing the menu comes a moment later).
        page.wait_for_function("!document.querySelector('details.site-menu').open", timeout=15000)
        # The language in force is marked in the list (whichever the client has chosen).
        current = page.locator("html").get_attribute("lang")
        page.locator("details.lang-menu a[aria-current='true']").focus()
        assert page.evaluate("document.activeElement.getAttribute('hreflang')") == current
        page.locator("details.lang-menu a[hreflang='fi']").first.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("html").get_attribute("lang") == "fi"
    finally:
        page.context.close()


def test_menu_opens_without_javascript(browser: Any, live_server: Any) -> None:
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=False, extra_http_headers={"Accept-Language": "fi"}
    )
    page = context.new_page()
    try:
        login(page, live_server.url, "case-worker")
        link = page.locator(".site-menu nav a").first
        assert not link.is_visible()
        page.locator("details.site-menu > summary").click()
        assert link.is_visible()
        with page.expect_navigation():
            link.click()
        assert page.locator("main h1").is_visible()
    finally:
        context.close()
