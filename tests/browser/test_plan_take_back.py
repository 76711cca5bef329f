"""On a 360 × 740 phone, by keyboard, in fi and sv, with zero axe violations: the client takes
a sent plan back, adds a service that takes the plan over its frame, confirms the own share
on its own step and sends the plan again; the plan page explains a waiting plan when the
client comes to add a service; goals are written as numbered questions and an empty name is
named in the error; deliveries say who delivered and how much in words.

Set HEBU_SCREENSHOTS=<dir> to keep a screenshot of each screen."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from app.services.budget import plan
from tests.browser.conftest import new_page
from tests.browser.journey import checked, enter, fill, login, money, see, t, visit
from tests.browser.money_world import money_world
from tests.support.budget_world import TODAY, build

SHOTS = os.environ.get("HEBU_SCREENSHOTS")
H1_TOP = "(() => { const r = document.querySelector('main h1').getBoundingClientRect();"
H1_TOP += " return r.top + window.scrollY; })()"


def _shot(page: Any, name: str) -> None:
    assert page.evaluate(H1_TOP) < 200, page.url  # the heading on the first screen
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _waiting_plan(live_server: Any, locale: str) -> tuple[str, int]:
    """A client whose plan (60 € of a 100 € frame) waits for the worker's decision."""
    with live_server.session() as s:
        world = build(s, allows_own_share=True, code=f"tb{locale}")
        world.client.dev_persona, world.client.locale = f"tb-client-{locale}", locale
        s.add(world.client)
        budget = world.frame(10_000)
        offer = world.offer(6_000)
        client = world.actor(world.client)
        plan.add_line(s, client, budget, offer.id, 1, 1, TODAY)  # type: ignore[arg-type]
        plan.submit(s, client, budget, "")
        s.commit()
        return world.client.dev_persona, offer.id  # type: ignore[return-value]


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_take_back_add_over_frame_and_confirm_the_own_share(
    browser: Any, live_server: Any, locale: str
) -> None:
    persona, offer_id = _waiting_plan(live_server, locale)
    base = live_server.url
    page = new_page(browser, locale)
    login(page, base, persona)
    visit(page, f"{base}/oma/budjetti?palvelu={offer_id}")
    see(page, t(locale, "The plan is waiting for your worker's decision."))
    see(
        page,
        t(
            locale,
            "Your plan is waiting for your worker's decision, so you cannot add services now.",
        ),
    )
    _shot(page, f"{locale}-1-plan-waiting-chosen")
    enter(page, "form[action='/oma/budjetti/takaisin']:has(input[name=palvelu]) button")
    checked(page)
    assert page.locator(f"#f-offer_id option[value='{offer_id}']").evaluate("o => o.selected")
    fill(page, "#f-quantity", "1")
    fill(page, "#f-repeats", "1")
    enter(page, "form[action='/oma/budjetti/rivit'] button[type=submit]")
    checked(page)
    see(page, t(locale, "You confirm this amount on the next page before the plan is sent."))
    _shot(page, f"{locale}-2-plan-over-frame")
    enter(page, "form[action='/oma/budjetti/laheta'] button[type=submit]")
    checked(page)
    own_share = money(2_000, locale)
    see(page, t(locale, "Confirm your own share"), own_share)
    _shot(page, f"{locale}-3-confirm-own-share")
    enter(page, "form[action='/oma/budjetti/laheta'] button[type=submit]")
    checked(page)
    see(page, t(locale, "The plan is waiting for your worker's decision."))
    _shot(page, f"{locale}-4-plan-sent-again")
    page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_goals_and_deliveries_in_plain_words(browser: Any, live_server: Any, locale: str) -> None:
    world = money_world(live_server, "pw", locale, [1, 2])
    base = live_server.url
    page = new_page(browser, locale)
    login(page, base, world.client)
    visit(page, f"{base}/oma/toimitukset")
    see(page, world.provider_name, t(locale, "That's not right"))
    _shot(page, f"{locale}-5-deliveries")
    visit(page, f"{base}/oma/tavoitteet/uusi")
    _shot(page, f"{locale}-6-goal-form")
    enter(page, "form[action='/oma/tavoitteet/uusi'] button[type=submit]")
    checked(page)
    see(page, t(locale, "Write the name of your goal."))
    _shot(page, f"{locale}-7-goal-form-error")
    fill(page, "#f-what", {"fi": "Käyn kaupassa itse", "sv": "Jag handlar själv"}[locale])
    fill(page, "#f-level_0", {"fi": "Kerran viikossa", "sv": "En gång i veckan"}[locale])
    enter(page, "form[action='/oma/tavoitteet/uusi'] button[type=submit]")
    checked(page)
    see(page, t(locale, "Compared with what you hoped, how is it going now?"))
    _shot(page, f"{locale}-8-goal-detail")
    visit(page, f"{base}/oma/tavoitteet")
    _shot(page, f"{locale}-9-goals")
    page.context.close()
