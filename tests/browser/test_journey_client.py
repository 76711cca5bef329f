"""The client's whole journey on a phone, by keyboard only, in fi and sv, axe on every page:
log in → self-assessment → results → a goal → search the catalogue with a typo → compare two
offers → offer page → "Add to my plan" → an over-frame attempt (live check, refused) → a plan
within the frame → send → (case worker confirms) → balance → (provider reports a delivery) →
confirm the delivery → rate it → "who has looked at my data" lists the case worker."""

from __future__ import annotations

from typing import Any

import pytest

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
    tab_enter,
    visit,
)

OFFERS = [
    ({"fi": "Ratsastusterapia yksin", "sv": "Ridterapi ensam"}, 6_000),
    ({"fi": "Ratsastusterapia ryhmässä", "sv": "Ridterapi i grupp"}, 4_000),
]
TYPO = {"fi": "ratsastuterapia", "sv": "ridteraip"}
GOAL = {"fi": "Käyn tallilla kerran viikossa", "sv": "Jag går till stallet en gång i veckan"}
FRAME = 50_000


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_client_journey(browser: Any, live_server: Any, locale: str) -> None:
    with live_server.session() as s:
        world = make_world(s, "jc", locale, offers=OFFERS, frame_cents=FRAME)
        s.commit()
    base = live_server.url
    title = {o: OFFERS[i][0][locale] for i, o in enumerate(world.offers)}
    first, second = world.offers

    page = new_page(browser, locale)
    # Log in; the first page greets the client by name.
    login(page, base, world.client)
    checked(page)
    assert world.names["client"] in (page.locator(".user-name").text_content() or "")  # in the menu

    # Self-assessment: the service needs, part by part.
    visit(page, base + "/oma/arviointi")
    see(page, t(locale, "My self-assessment"))
    tab_enter(page, "form:has(input[name=instrument][value=service-needs]) button")
    assert answer_parts(page, "Ratsastus" if locale == "fi" else "Ridning") == 4
    assert page.url.endswith("/tarkista")
    checked(page)
    enter(page, "form[action$='/laheta'] button")
    assert page.url.endswith("/tulokset?lahetetty=1")
    checked(page)
    see(
        page,
        t(locale, "Your results"),
        t(
            locale,
            "Thank you! Your answers have been sent. Your worker can see them before your meeting.",
        ),
    )

    # A personal goal from the results page.
    tab_enter(page, "main a[href='/oma/tavoitteet/uusi']")
    checked(page)
    fill(page, "#f-what", GOAL[locale])
    fill(page, "#f-why", "Hevoset rauhoittavat." if locale == "fi" else "Hästar lugnar mig.")
    enter(page, "main form button[type=submit]")
    checked(page)
    assert page.locator("h1").inner_text() == GOAL[locale]
    visit(page, base + "/oma/tavoitteet")
    see(page, GOAL[locale])

    # The catalogue: a search with a typo still finds both offers; compare them.
    visit(page, base + "/palvelut")
    page.focus("#f-q")
    page.keyboard.type(TYPO[locale], delay=20)
    page.wait_for_url(f"**q={TYPO[locale]}**")  # searched as the client typed
    page.wait_for_function("!document.querySelector('.htmx-request')")
    results = page.locator(".result h2").all_inner_texts()
    assert set(title.values()) <= {r.strip() for r in results}, results
    checked(page)
    for offer_id in (first, second):
        page.focus(f".result input[name=offer][value='{offer_id}']")
        page.keyboard.press("Space")
    enter(page, ".compare-form .compare-all")
    assert "/palvelut/vertaa" in page.url
    checked(page)
    assert page.locator("table thead th[scope=col]").count() == 2
    see(page, title[first], title[second], money(6_000, locale), money(4_000, locale))

    # The offer page, and from there into the plan with the offer chosen.
    enter(page, f".compare-cards a[href='/palvelut/{first}']")  # one card per offer on a phone
    checked(page)
    assert page.locator("h1").inner_text().strip() == title[first]
    tab_enter(page, f"main a[href^='/oma/budjetti?palvelu={first}']")
    checked(page)
    assert page.locator("#f-offer_id").input_value() == str(first)
    see(page, t(locale, "There are no services in the plan yet."))

    # First too much: ten sessions cost 600 € of a 500 € frame. The live check says so.
    fill(page, "#f-repeats", "10")
    over = t(locale, "The plan is %(amount)s over the frame.", amount=money(10_000, locale))
    page.locator("#fit", has_text=over).wait_for()
    assert money(60_000, locale) in page.locator("[data-testid=plan-total]").inner_text()
    checked(page)
    enter(page, "form[action='/oma/budjetti/rivit'] button[type=submit]")
    see(page, title[first], over)
    checked(page)
    # Sending is refused with the reason; the plan stays a draft.
    enter(page, "form[action='/oma/budjetti/laheta'] button[type=submit]")
    refusal = t(
        locale,
        "The plan costs more than your budget frame. Remove or reduce services so that it fits.",
    )
    see(page, refusal)
    checked(page)
    assert page.locator("form[action='/oma/budjetti/laheta']").count() == 1

    # Remove it and plan five sessions instead: 300 € fits.
    enter(page, "form[action$='/poista'] button")
    see(page, t(locale, "There are no services in the plan yet."))
    choose(page, "#f-offer_id", str(first))
    fill(page, "#f-repeats", "5")
    page.locator("#fit", has_text=t(locale, "The plan fits the frame.")).wait_for()
    page.locator("[data-testid=plan-total]", has_text=money(30_000, locale)).wait_for()
    enter(page, "form[action='/oma/budjetti/rivit'] button[type=submit]")
    checked(page)
    assert money(20_000, locale) in page.locator("[data-testid=plan-remaining]").inner_text()
    page.focus("#f-note")
    page.keyboard.type("Kiitos!" if locale == "fi" else "Tack!")
    enter(page, "form[action='/oma/budjetti/laheta'] button[type=submit]")
    checked(page)
    see(page, t(locale, "The plan is waiting for your worker's decision."))
    assert page.locator("form[action='/oma/budjetti/takaisin']").count() == 1  # can take back
    page.context.close()

    # (The case worker confirms, through the case worker's pages.)
    worker = new_page(browser, locale)
    login(worker, base, world.case_worker)
    visit(worker, base + "/asiakkaat/budjetit")
    enter(worker, f"main a[href='/asiakkaat/{world.client_id}/budjetti']")
    checked(worker)
    see(worker, "Kiitos!" if locale == "fi" else "Tack!", title[first])
    enter(worker, "form[action$='/vahvista'] button:not([formaction])")
    checked(worker)
    worker.context.close()

    # The balance: 300 € committed, nothing spent yet.
    page = new_page(browser, locale)
    login(page, base, world.client)
    visit(page, base + "/oma/saldo")
    see(page, money(30_000, locale), t(locale, "Nothing has been spent yet."))
    assert money(0, locale) in page.locator("[data-testid=spent]").inner_text()

    # (The provider accepts the order and reports one session.)
    seller = new_page(browser, locale)
    login(seller, base, world.provider)
    visit(seller, base + "/tuottaja/tilaukset")
    enter(seller, "main a[href^='/tuottaja/tilaukset/']")  # the new order, first on the page
    enter(seller, "form[action$='/hyvaksy'] button")
    fill(seller, "form[action$='/toimitukset'] input[name=units]", "1")
    enter(seller, "form[action$='/toimitukset'] button[type=submit]")
    checked(seller)
    seller.context.close()

    # The client confirms the delivery and sees it in the balance.
    visit(page, base + "/oma/toimitukset")
    see(page, title[first])
    enter(page, "form[action$='/vahvista'] button")
    checked(page)
    visit(page, base + "/oma/saldo")
    assert money(6_000, locale) in page.locator("[data-testid=spent]").inner_text()
    assert money(24_000, locale) in page.locator("[data-testid=committed]").inner_text()
    assert money(20_000, locale) in page.locator("[data-testid=free]").inner_text()

    # Rate the delivered service: stars and effect by arrow keys, a comment, send.
    visit(page, base + "/oma/toimitukset")
    enter(page, "main a[href^='/oma/arviot/']")
    checked(page)
    page.focus("#f-quality")
    page.keyboard.press("Space")  # 5 stars
    page.keyboard.press("ArrowDown")  # 4 stars
    assert page.locator("input[name=quality]:checked").get_attribute("value") == "4"
    page.keyboard.press("Tab")  # into the effect group
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Hyvä apu" if locale == "fi" else "Bra hjälp")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)
    see(page, t(locale, "Thank you! Your rating has been saved."))

    # Who has looked at my data: the case worker, by name.
    visit(page, base + "/oma/lokitiedot")
    see(page, t(locale, "Who has looked at my data"), world.names["case_worker"])
    page.context.close()
