"""The case worker's and the admin's journey on a phone, by keyboard only, in fi and sv, axe on
every page: set a frame with arm B category shares → review and return the client's plan with a
comment → (the client changes it and sends it again) → confirm the new version → record a
meeting → the admin opens the settlement report, the access log, the organiser's reports and
the experiment's arm comparison."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from app.models.budget import Budget
from app.models.user import Membership, Role, User
from app.services.budget import deliveries, plan
from app.services.budget import frames as budget_service
from app.services.identity.users import load_actor
from tests.browser.conftest import new_page
from tests.browser.journey import (
    checked,
    choose,
    enter,
    fill,
    login,
    make_world,
    money,
    see,
    t,
    tab_to,
    visit,
)

OFFERS = [
    ({"fi": "Fysioterapia kotona", "sv": "Fysioterapi hemma"}, 6_000),
    ({"fi": "Allasjumppa", "sv": "Vattengympa"}, 1_500),
]
COMMENT = {
    "fi": "Lisää myös allasjumppa, siitä puhuimme.",
    "sv": "Lägg också till vattengympa, som vi talade om.",
}
NOTES = {"fi": "Suunnitelma vahvistettu yhdessä.", "sv": "Planen bekräftades tillsammans."}


def _actor(s: Any, persona: str) -> Any:
    user_id = s.exec(select(User.id).where(User.dev_persona == persona)).one()
    actor = load_actor(s, user_id)
    assert actor is not None
    return actor


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_caseworker_and_admin_journey(browser: Any, live_server: Any, locale: str) -> None:
    with live_server.session() as s:
        world = make_world(s, "jw", locale, offers=OFFERS)
        admin = User(
            display_name=f"Alli Admin {locale}", locale=locale, dev_persona=f"jw-admin-{locale}"
        )
        s.add(admin)
        s.flush()
        s.add(Membership(user_id=admin.id, role=Role.admin, organiser_id=world.organiser_id))  # type: ignore[arg-type]
        s.commit()
    base = live_server.url
    client_name = world.names["client"]
    physio, swim = world.offers
    year = date.today().year

    # The case worker sets a 1 000 € frame, arm B: 60 % for rehabilitation, 20 % for everyday.
    page = new_page(browser, locale)
    login(page, base, world.case_worker)
    visit(page, base + "/asiakkaat/budjetit")
    see(page, client_name)
    enter(page, f"main a[href='/asiakkaat/{world.client_id}/budjetti']")
    checked(page)
    fill(page, "#f-frame", "1000")
    page.fill("#f-period_start", f"{year}-01-01")  # the date picker's own keyboard is the browser's
    page.fill("#f-period_end", f"{year}-12-31")
    choose(page, "#f-arm", "B")
    fill(page, f"#f-share_{world.categories[0]}", "60")
    fill(page, f"#f-share_{world.categories[1]}", "20")
    fill(page, "#f-reason", "Alkuarvio" if locale == "fi" else "Inledande bedömning")
    enter(page, "form[action$='/raami'] button[type=submit]")
    checked(page)
    see(
        page,
        t(locale, "Now %(total)s.", total=money(100_000, locale)),
        t(locale, "The client is told the total and the main-category shares."),
        t(locale, "The client has not started a plan yet."),
    )

    # (The client plans physiotherapy and sends the plan.)
    with live_server.session() as s:
        client = _actor(s, world.client)
        budget = s.exec(select(Budget).where(Budget.client_id == world.client_id)).one()
        plan.add_line(s, client, budget, physio, 1, 5, date.today())
        plan.submit(s, client, budget, "Tässä ehdotus." if locale == "fi" else "Mitt förslag.", 1)
        s.commit()

    # The case worker reviews it against the category shares and returns it with a comment.
    visit(page, f"{base}/asiakkaat/{world.client_id}/budjetti")
    see(
        page,
        t(locale, "Budget plan, version %(n)s", n=1),
        OFFERS[0][0][locale],
        t(locale, "Message from the client"),
        t(locale, "Share of the frame"),
        money(60_000, locale),  # the rehabilitation share of the frame
    )
    fill(page, "#f-comment", COMMENT[locale])
    enter(page, "form[action$='/vahvista'] button[formaction$='/palauta']")
    checked(page)
    see(page, t(locale, "Returned for changes"))
    assert page.locator("form[action$='/vahvista']").count() == 0

    # The client sees the comment, adds the pool exercise and sends the plan again.
    client_page = new_page(browser, locale)
    login(client_page, base, world.client)
    visit(client_page, base + "/oma/budjetti")
    see(client_page, t(locale, "Your worker returned the plan:"), COMMENT[locale])
    choose(client_page, "#f-offer_id", str(swim))
    fill(client_page, "#f-repeats", "10")
    client_page.locator("[data-testid=plan-total]", has_text=money(45_000, locale)).wait_for()
    enter(client_page, "form[action='/oma/budjetti/rivit'] button[type=submit]")
    checked(client_page)
    see(
        client_page,
        OFFERS[1][0][locale],
        t(locale, "The plan fits the frame."),
        t(locale, "Left in the category"),  # arm B: the shares are shown to the client too
        "Kuntoutus" if locale == "fi" else "Rehabilitering",
    )
    enter(client_page, "form[action='/oma/budjetti/laheta'] button[type=submit]")
    checked(client_page)
    client_page.context.close()

    # The case worker confirms the new version and records the meeting.
    visit(page, f"{base}/asiakkaat/{world.client_id}/budjetti")
    see(page, OFFERS[1][0][locale], money(45_000, locale))
    # From the top of the page to "Confirm the plan" in at most 25 Tab presses.
    tab_to(page, "form[action$='/vahvista'] button:not([formaction])", limit=25)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    checked(page)
    see(page, t(locale, "Confirmed"))
    with live_server.session() as s:
        budget = s.exec(select(Budget).where(Budget.client_id == world.client_id)).one()
        lines = budget_service.lines_of(s, budget_service.confirmed_version(s, budget))
        assert sorted(line.offer_id for line in lines) == sorted([physio, swim])
    choose(page, "#f-kind", "confirmation")
    page.fill("#f-held_on", date.today().isoformat())
    fill(page, "#f-notes", NOTES[locale])
    enter(page, "form[action$='/tapaamiset'] button[type=submit]")
    checked(page)
    see(page, t(locale, "Confirmation meeting"), NOTES[locale])
    page.context.close()

    # (The provider delivers two sessions of physiotherapy and the client confirms them.)
    with live_server.session() as s:
        seller = _actor(s, world.provider)
        client = _actor(s, world.client)
        budget = s.exec(select(Budget).where(Budget.client_id == world.client_id)).one()
        line = next(line for line in lines if line.offer_id == physio)
        deliveries.decide_order(s, seller, line.id, True)  # type: ignore[arg-type]
        delivery = deliveries.report_delivery(s, seller, line.id, date.today(), 2, "")  # type: ignore[arg-type]
        deliveries.accept(s, client, budget, delivery.id)  # type: ignore[arg-type]
        s.commit()

    # The admin opens this month's settlement and the access log of the client.
    office = new_page(browser, locale)
    login(office, base, f"jw-admin-{locale}")
    visit(office, base + "/hallinto/tilitys")
    see(office, world.names["provider"], money(12_000, locale))
    visit(office, base + "/hallinto/lokitiedot")
    choose(office, "#f-client", str(world.client_id))
    enter(office, "main form button[type=submit]")
    checked(office)
    see(office, world.names["case_worker"])

    # The admin opens the organiser's reports: every one from the reports page, by keyboard.
    for url, heading in (
        ("/hallinto/raportit/indikaattorit", "Indicator report"),
        ("/hallinto/raportit/vaikutukset", "Provider effect evidence"),
        ("/hallinto/raportit/kustannukset", "Costs and ROSI"),
        ("/hallinto/raportit/tavoitteet", "Goal attainment by group"),
    ):
        visit(office, base + "/hallinto/raportit")
        see(office, t(locale, "Reports for the organiser"))
        enter(office, f"main a[href='{url}']")
        checked(office)
        assert office.locator("h1").inner_text().strip() == t(locale, heading)
    visit(office, base + "/hallinto/koe/vertailu")
    assert office.locator("h1").inner_text().strip() == t(locale, "Arm comparison")
    office.context.close()
