"""The balance, compare, offer and favourites screens on a 360 × 740 phone, in fi and sv: axe
finds nothing, nothing runs off the screen, the charts are named images beside their tables,
the balance has one message and the plan page shows the same "free", compare shows one card
per offer with the differences marked in words, and a favourite added on the offer page is on
the shortlist. Set HEBU_SHOTS to a directory to keep full-page screenshots."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PHONE, assert_accessible, login, new_page

PERSONA = {"fi": "client", "sv": "client-sv"}
DIFFERS = {"fi": "eroaa", "sv": "skiljer sig"}
ADD_TO_PLAN = {"fi": "Lisää suunnitelmaani", "sv": "Lägg till i min plan"}
SHOT_HEIGHT = 1100
WIDER_THAN_SCREEN = "() => document.scrollingElement.scrollWidth"


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("HEBU_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        height = page.evaluate("() => document.scrollingElement.scrollHeight")
        for n, top in enumerate(range(0, min(height, 6 * SHOT_HEIGHT), SHOT_HEIGHT)):
            clip = {"x": 0, "y": top, "width": PHONE["width"], "height": SHOT_HEIGHT}
            page.screenshot(path=str(Path(folder) / f"{name}-{n}.png"), full_page=True, clip=clip)


def _fits(page: Any) -> None:
    assert page.evaluate(WIDER_THAN_SCREEN) <= PHONE["width"], page.url


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_balance_at_a_glance(browser: Any, live_server: Any, locale: str) -> None:
    page = new_page(browser, locale, PHONE)
    try:
        login(page, live_server.url, PERSONA[locale])
        page.goto(live_server.url + "/oma/saldo")
        assert page.locator("html").get_attribute("lang") == locale
        assert page.locator("[data-testid=balance-message]").count() == 1
        charts = page.locator("main svg[role=img]")
        spent = page.locator("[data-testid=spent]").inner_text()
        # The month chart only once something is spent (Aino has spent; Erik has not).
        assert charts.count() == (2 if locale == "fi" else 1), spent
        for i in range(charts.count()):
            chart = charts.nth(i)
            ids = (chart.get_attribute("aria-labelledby") or "").split()
            assert len(ids) == 2 and all(page.locator(f"#{n}").count() == 1 for n in ids)
            # Each chart has its table beside it.
            assert chart.locator("xpath=ancestor::section[1]//table").count() == 1
        free = page.locator("[data-testid=free]").inner_text()
        _fits(page)
        assert_accessible(page)
        _shot(page, f"balance-{locale}")
        page.goto(live_server.url + "/oma/budjetti")
        assert page.locator("[data-testid=free]").inner_text() == free
        assert page.locator("[data-testid=balance-message]").count() == 1
    finally:
        page.context.close()


def _two_offers(page: Any, base: str) -> list[str]:
    page.goto(base + "/palvelut?q=terapia")
    boxes = page.locator(".result input[name=offer]")
    assert boxes.count() >= 2
    return [boxes.nth(0).get_attribute("value"), boxes.nth(1).get_attribute("value")]


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_compare_as_cards_with_differences_marked(
    browser: Any, live_server: Any, locale: str
) -> None:
    page = new_page(browser, locale, PHONE)
    try:
        login(page, live_server.url, PERSONA[locale])
        first, second = _two_offers(page, live_server.url)
        page.goto(f"{live_server.url}/palvelut/vertaa?offer={first}&offer={second}")
        cards = page.locator(".compare-cards > li")
        assert cards.count() == 2 and cards.first.is_visible()
        assert not page.locator(".compare-wide table").is_visible()  # the wide table is hidden
        assert page.locator(".compare-cards .differs-mark").first.inner_text() == DIFFERS[locale]
        for i in range(2):
            link = cards.nth(i).locator("a[href^='/oma/budjetti?palvelu=']")
            assert link.count() == 1 and ADD_TO_PLAN[locale] in link.inner_text()
        _fits(page)
        assert_accessible(page)
        _shot(page, f"compare-{locale}")
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_offer_page_and_favourites(browser: Any, live_server: Any, locale: str) -> None:
    page = new_page(browser, locale, PHONE)
    try:
        login(page, live_server.url, PERSONA[locale])
        offer, _other = _two_offers(page, live_server.url)
        page.goto(f"{live_server.url}/palvelut/{offer}")
        assert page.locator("#contact-heading").is_visible()
        _fits(page)
        assert_accessible(page)
        _shot(page, f"offer-{locale}")
        # On paper: no header or menu, no forms, and each link's address written out.
        page.emulate_media(media="print")
        assert not page.locator("header.site-header").is_visible()
        assert not page.locator(".offer-actions").is_visible()
        after = page.evaluate(
            "() => getComputedStyle(document.querySelector('.contact a[data-url]'), '::after')"
            ".content"
        )
        assert "/palvelut/tuottajat/" in after and after.count("http") == 1
        page.emulate_media(media="screen")
        page.focus(".offer-actions .favourite-button")
        with page.expect_navigation():
            page.keyboard.press("Enter")  # no JavaScript needed: a plain form
        assert page.url.endswith(f"/palvelut/{offer}")
        assert "/poista" in (page.locator(".offer-actions form").get_attribute("action") or "")
        page.goto(live_server.url + "/oma/suosikit")
        assert page.locator(f"main a[href='/palvelut/{offer}']").count() == 1
        _fits(page)
        assert_accessible(page)
        _shot(page, f"favourites-{locale}")
        with page.expect_navigation():
            page.locator(".result .favourite-button").first.click()
        assert page.locator(f"main a[href='/palvelut/{offer}']").count() == 0
    finally:
        page.context.close()
