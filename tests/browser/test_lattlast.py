"""Lättläst svenska in a browser: a Swedish-speaking client picks "Lättläst svenska" in the
header's language switch and walks the main client screens on a 360 × 740 phone. Every screen is
marked lang="sv", shows the lättläst texts (not the standard Swedish ones), formats euros and
dates as Swedish, passes axe; the self-assessment starts in lättläst; and the choice is
remembered after logging in again.

With HEBU_SCREENSHOTS=<dir> the screens are saved there as PNG files (to look at them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from app import i18n
from app.models.user import User
from tests.browser.conftest import PHONE, assert_accessible, login, new_page
from tests.browser.money_world import money_world

LATT = "sv@latt"
# path -> texts of the screen (msgids) that must appear in lättläst, and not as standard sv.
SCREENS: list[tuple[str, list[str]]] = [
    ("/", ["Your own budget for the services you need", "How it works, step by step"]),
    ("/oma/arviointi", ["My self-assessment"]),
    ("/oma/budjetti", ["Printable plan", "Plan total"]),
    ("/oma/saldo", ["Spent, committed and free", "Units used and left"]),
    ("/oma/toimitukset", ["Tell in your own words what is wrong (optional)", "Deliveries"]),
    ("/palvelut?q=kotihoito", ["Find services of approved providers and compare prices."]),
]
SHOTS = os.environ.get("HEBU_SCREENSHOTS", "")


def _text(locale: str, msgid: str) -> str:
    return i18n.translations(locale).ugettext(msgid)


def _main(page: Any) -> str:
    return " ".join(str(page.locator("main").inner_text()).split())


def _switch_to_lattlast(page: Any) -> None:
    """Through the header's compact switch, by keyboard: open it, follow "Lättläst svenska"."""
    summary = page.locator(".lang-menu summary")
    summary.focus()
    page.keyboard.press("Enter")
    link = page.locator(".lang-switch a", has_text="Lättläst svenska")
    assert link.get_attribute("lang") == "sv"
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def _screenshots(page: Any, path: str) -> None:
    """The page's first three phone screens, one PNG each."""
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    name = path.strip("/").split("?")[0].replace("/", "-") or "home"
    height = page.evaluate("document.documentElement.scrollHeight")
    for n in range(min(3, -(-height // PHONE["height"]))):
        clip = {"x": 0, "y": n * PHONE["height"], **PHONE}
        page.screenshot(
            path=str(Path(SHOTS) / f"latt-{name}-{n + 1}.png"), full_page=True, clip=clip
        )


def _stored_locale(live_server: Any, persona: str) -> str | None:
    from sqlmodel import select

    with live_server.session() as s:
        user = s.exec(select(User).where(User.dev_persona == persona)).one()
        return user.locale


def test_client_walks_the_journey_in_lattlast(browser: Any, live_server: Any) -> None:
    world = money_world(live_server, "latt", "sv", [2])
    page = new_page(browser, "sv", PHONE)
    try:
        login(page, live_server.url, world.client)
        assert page.locator("html").get_attribute("lang") == "sv"
        _switch_to_lattlast(page)
        assert page.locator(".lang-menu summary").inner_text().strip().endswith("Lätt")
        assert _stored_locale(live_server, world.client) == LATT
        missing: dict[str, list[str]] = {}
        for path, msgids in SCREENS:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            assert response.headers["content-language"] == "sv", path
            assert page.locator("html").get_attribute("lang") == "sv", path
            assert page.locator("h1").count() == 1, path
            text = " ".join(str(page.locator("body").inner_text()).split())
            for msgid in msgids:
                latt, standard = _text(LATT, msgid), _text("sv", msgid)
                assert latt != standard, f"{msgid!r} has no lättläst entry"
                if latt not in text or standard in text:
                    missing.setdefault(path, []).append(msgid)
            # The client's menu is in lättläst on every screen.
            assert page.locator(".site-menu", has_text=_text(LATT, "Deliveries")).count() == 1
            assert_accessible(page)
            if SHOTS:
                _screenshots(page, path)
        assert missing == {}, f"standard Swedish where lättläst was expected: {missing}"
        # The self-assessment starts in lättläst: its title, intro and part counter.
        page.goto(live_server.url + "/oma/arviointi")
        start = page.locator('form:has(input[name="instrument"][value="life-situation"]) button')
        start.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("html").get_attribute("lang") == "sv"
        assert "Mitt liv nu" in _main(page)
        assert "Berätta hur du har det nu." in _main(page)
        assert_accessible(page)
        if SHOTS:
            _screenshots(page, "/oma/arviointi/osio")
        # Money and dates as Swedish: the budget's frame in euros, the delivery's day.
        page.goto(live_server.url + "/oma/saldo")
        frame = i18n.format_money(100_000, locale=LATT)
        assert frame == i18n.format_money(100_000, locale="sv")
        assert " ".join(frame.split()) in _main(page)
        page.goto(live_server.url + "/oma/toimitukset")
        assert "11.2026" in _main(page)
    finally:
        page.context.close()

    # Remembered: a new browser (no cookie) that logs in gets lättläst from the stored choice.
    again = new_page(browser, "sv", PHONE)
    try:
        login(again, live_server.url, world.client)
        again.goto(live_server.url + "/oma/toimitukset")
        assert again.locator("html").get_attribute("lang") == "sv"
        assert _text(LATT, "Tell in your own words what is wrong (optional)") in _main(again)
        assert again.locator(".lang-switch a[aria-current='true']").text_content() == (
            "Lättläst svenska"
        )
    finally:
        again.context.close()
