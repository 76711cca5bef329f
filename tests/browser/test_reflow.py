"""WCAG 1.4.10 reflow: at 360 px the pages never scroll sideways; wide tables scroll in their own
keyboard-focusable box (visually hidden text inside them must not widen the page)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login, new_page

PAGES = {
    "case-worker": ["/asiakkaat/budjetit", "/asiakkaat/vuosiarvioinnit"],
    "client": ["/oma/budjetti", "/oma/saldo", "/oma/toimitukset", "/oma/lokitiedot"],
    "admin": ["/hallinto/tilitys", "/hallinto/raportit/indikaattorit", "/hallinto/koe/vertailu"],
}


@pytest.mark.parametrize("persona", sorted(PAGES))
def test_no_horizontal_scrolling_on_a_phone(browser: Any, live_server: Any, persona: str) -> None:
    page = new_page(browser, "fi")
    try:
        login(page, live_server.url, persona)
        for path in PAGES[persona]:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} is {width} px wide at a 360 px viewport"
    finally:
        page.context.close()
