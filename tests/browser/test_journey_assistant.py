"""The HB assistant's journey on a phone, by keyboard only, in fi and sv, axe on every page:
the client gives a mandate → the assistant acts for the client → fills a self-assessment with
them → edits the plan → the "acting for" banner is on every page → the client revokes the
mandate in their own browser → the assistant's next change is refused cleanly, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, func, select

from app.models.budget import Budget, PlanLine, PlanVersion
from app.models.user import Membership, Role, User
from tests.browser.conftest import new_page
from tests.browser.journey import (
    answer_parts,
    checked,
    choose,
    enter,
    fill,
    login,
    make_world,
    money,
    see,
    t,
    visit,
)

OFFERS = [({"fi": "Siivousapu", "sv": "Städhjälp"}, 3_000)]


def _lines(live_server: Any, client_id: int) -> int:
    with live_server.session() as s:
        return int(
            s.exec(
                select(func.count())
                .select_from(PlanLine)
                .join(PlanVersion, col(PlanVersion.id) == col(PlanLine.plan_version_id))
                .join(Budget, col(Budget.id) == col(PlanVersion.budget_id))
                .where(Budget.client_id == client_id)
            ).one()
        )


def _banner(page: Any, locale: str, client_name: str) -> None:
    """The "acting for" banner is shown and names the client."""
    banner = page.locator(".banner-acting")
    assert banner.is_visible(), page.url
    assert t(locale, "You are acting for %(name)s.", name=client_name) in banner.inner_text()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_assistant_journey(browser: Any, live_server: Any, locale: str) -> None:
    with live_server.session() as s:
        world = make_world(s, "ja", locale, offers=OFFERS, frame_cents=40_000)
        helper = User(
            display_name=f"Aapo Avustaja {locale}", locale=locale, dev_persona=f"ja-asst-{locale}"
        )
        s.add(helper)
        s.flush()
        s.add(Membership(user_id=helper.id, role=Role.assistant, organiser_id=world.organiser_id))  # type: ignore[arg-type]
        s.commit()
        helper_id, helper_name = helper.id, helper.display_name
    base = live_server.url
    client_name = world.names["client"]
    offer_title = OFFERS[0][0][locale]

    # The client gives the assistant a mandate for assessments and the plan.
    client = new_page(browser, locale)
    login(client, base, world.client)
    visit(client, base + "/oma/valtuutukset")
    choose(client, "#f-assistant_id", str(helper_id))
    for scope in ("assessments", "plan"):
        client.focus(f"#f-scopes-{scope}")
        client.keyboard.press("Space")
    enter(client, "form[action='/oma/valtuutukset'] button[type=submit]")
    checked(client)
    see(client, t(locale, "The mandate was given."), helper_name)

    # The assistant chooses to act for the client; the banner appears.
    page = new_page(browser, locale)
    login(page, base, f"ja-asst-{locale}")
    visit(page, base + "/avustaja")
    see(page, client_name, t(locale, "Edit the budget plan"))
    enter(page, "form[action^='/avustaja/toimi/'] button")
    checked(page)
    _banner(page, locale, client_name)

    # A self-assessment together: the profile, part by part, the banner on every page.
    visit(page, base + "/oma/arviointi")
    _banner(page, locale, client_name)
    enter(page, "form:has(input[name=instrument][value=profile]) button")
    text = "Aamupäivisin" if locale == "fi" else "På förmiddagen"
    assert answer_parts(page, text, lambda p: _banner(p, locale, client_name)) == 3
    checked(page)
    _banner(page, locale, client_name)
    enter(page, "form[action$='/laheta'] button")
    assert page.url.endswith("/tulokset?lahetetty=1")
    checked(page)
    _banner(page, locale, client_name)
    see(page, t(locale, "Your results"), t(locale, "Answered together with an assistant."))

    # The plan: the assistant adds a service that fits the frame.
    visit(page, base + "/oma/budjetti")
    _banner(page, locale, client_name)
    choose(page, "#f-offer_id", str(world.offers[0]))
    fill(page, "#f-repeats", "4")
    page.locator("[data-testid=plan-total]", has_text=money(12_000, locale)).wait_for()
    enter(page, "form[action='/oma/budjetti/rivit'] button[type=submit]")
    checked(page)
    _banner(page, locale, client_name)
    see(page, offer_title, t(locale, "The plan fits the frame."))
    assert _lines(live_server, world.client_id) == 1

    # The assistant starts adding another line ...
    fill(page, "#f-repeats", "2")
    page.locator("[data-testid=plan-total]", has_text=money(18_000, locale)).wait_for()

    # ... while the client revokes the mandate in their own browser.
    visit(client, base + "/oma/valtuutukset")
    enter(client, "form[action$='/peru'] button")
    checked(client)
    see(client, t(locale, "The mandate was revoked. The assistant can no longer act for you."))
    client.context.close()

    # The assistant's next action is refused with a clear message; nothing was saved.
    # Leaving the field fires the live check; the form is sent while it may still be running
    # (the session is on the server: neither answer can undo what the other ended).
    page.focus("form[action='/oma/budjetti/rivit'] button[type=submit]")
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value is not None and navigation.value.status == 409
    checked(page)
    see(
        page,
        t(
            locale,
            "The mandate you were acting under has ended or was revoked. Nothing was saved. "
            "You are no longer acting for the client.",
        ),
    )
    assert page.locator(".banner-acting").count() == 0
    assert _lines(live_server, world.client_id) == 1
    # Back on their own page, the client is no longer among the assistant's clients.
    visit(page, base + "/avustaja")
    assert page.locator(".banner-acting").count() == 0
    see(page, t(locale, "No client has given you a mandate that is in force."))
    page.context.close()
