"""Teaming checkpoints in a real browser, fi and sv, axe clean: the named worker opens the
client's teaming meetings from the budget page, schedules a checkpoint meeting and keeps its
minutes by keyboard alone; the admin's impact model (SVG diagram and list) is axe clean."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from app import i18n
from app.models.user import User
from tests.browser.conftest import assert_accessible, login, new_page

DESKTOP = {"width": 1280, "height": 900}
FOCUSED = """() => { const e = document.activeElement;
  return {tag: e.tagName, name: e.name || '', type: e.type || '',
          action: e.form ? e.form.getAttribute('action') || '' : ''}; }"""
# fi moves the demo's scheduled meeting after deployment, sv schedules the impact evaluation.
STEPS = {
    "fi": (
        2,
        "Tiimipalaverit ja niiden vaiheet",
        "Tapaaminen sovittiin",
        "Tapaaminen merkittiin pidetyksi.",
    ),  # noqa: E501
    "sv": (3, "Teammötena och deras skeden", "Mötet bokades", "Mötet markerades som hållet."),
}


def _use_language(page: Any, base_url: str, locale: str) -> None:
    host = base_url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [{"name": i18n.LOCALE_COOKIE, "value": locale, "domain": host, "path": "/"}]
    )


def _tab_to(page: Any, wanted: Any, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted(page.evaluate(FOCUSED)):
            return
    pytest.fail("the control was not reachable by keyboard")


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_teaming_checkpoints_worker_schedules_and_keeps_minutes_by_keyboard(
    browser: Any, live_server: Any, locale: str
) -> None:
    with live_server.session() as s:
        aino = s.exec(select(User.id).where(User.dev_persona == "client")).one()
    number, link, scheduled, held = STEPS[locale]
    page = new_page(browser, locale, viewport=DESKTOP)
    try:
        login(page, live_server.url, "case-worker")
        _use_language(page, live_server.url, locale)
        page.goto(f"{live_server.url}/asiakkaat/{aino}/budjetti")
        page.get_by_role("link", name=link).first.click()
        page.wait_for_url(f"{live_server.url}/asiakkaat/{aino}/tiimiytys")
        assert_accessible(page)
        page.locator(f"a[href='/asiakkaat/{aino}/tiimiytys/{number}']").click()
        page.wait_for_url(f"{live_server.url}/asiakkaat/{aino}/tiimiytys/{number}")
        assert_accessible(page)

        schedule = f"/asiakkaat/{aino}/tiimiytys/{number}/ajoita"
        _tab_to(page, lambda f: f["name"] == "place" and f["action"] == schedule)
        page.keyboard.press("Control+A")
        page.keyboard.type("Teams")
        _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["action"] == schedule)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert scheduled in page.locator("main .notice-success").inner_text()
        assert_accessible(page)

        minutes = f"/asiakkaat/{aino}/tiimiytys/{number}/pidetty"
        _tab_to(page, lambda f: f["tag"] == "TEXTAREA" and f["action"] == minutes)
        page.keyboard.type("Sovittiin työnjaosta. / Arbetsfördelningen avtalades.")
        _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["action"] == minutes)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert held in page.locator("main .notice-success").inner_text()
        assert "Arbetsfördelningen avtalades." in page.locator("main").inner_text()
        assert_accessible(page)
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_impact_model_diagram_is_accessible(browser: Any, live_server: Any, locale: str) -> None:
    page = new_page(browser, locale, viewport=DESKTOP)
    try:
        login(page, live_server.url, "admin")
        _use_language(page, live_server.url, locale)
        page.goto(live_server.url + "/hallinto/raportit/vaikutusmalli")
        assert page.locator("svg.impact-diagram g.item").count() >= 16
        assert page.locator(".impact-list li").count() >= 16
        assert_accessible(page)
    finally:
        page.context.close()
