"""The service provider's journey on a phone, by keyboard only, in fi and sv, axe on every page:
register and apply for approval → (the organiser's admin approves in /hallinto/tuottajat) →
publish offers with Finnish and Swedish texts → accept a client's order → report deliveries →
(five clients rate the service) → reply publicly to a comment."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from app.models.budget import Budget
from app.models.user import Membership, Role, User
from app.services.budget import plan
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
    new_business_id,
    see,
    t,
    visit,
)

OFFERS = [
    {"fi": "Kotikäynti", "sv": "Hembesök", "price": "45,50", "cents": 4_550},
    {"fi": "Saattajapalvelu", "sv": "Ledsagarservice", "price": "30", "cents": 3_000},
]


def _keyboard_choice(page: Any, selector: str) -> None:
    page.focus(selector)
    page.keyboard.press("Space")


def _order_and_confirm(live_server: Any, world: Any, offer_id: int) -> None:
    """(The client plans the new offer and the case worker confirms it.)"""
    with live_server.session() as s:
        client = load_actor(s, world.client_id)
        worker_id = s.exec(select(User.id).where(User.dev_persona == world.case_worker)).one()
        worker = load_actor(s, worker_id)
        assert client is not None and worker is not None
        budget = s.exec(select(Budget).where(Budget.client_id == world.client_id)).one()
        plan.add_line(s, client, budget, offer_id, 1, 4, date.today())
        plan.submit(s, client, budget, "", None)
        plan.confirm(s, worker, budget, "")
        s.commit()


def _five_ratings(live_server: Any, world: Any, offer_id: int, locale: str) -> None:
    """(Five more clients use the offer and rate it, so its comments become public.)"""
    from app.models.budget import ExperimentArm
    from app.services.budget import deliveries
    from app.services.budget import frames as budget_service
    from app.services.ratings import feedback

    today = date.today()
    with live_server.session() as s:
        worker_id = s.exec(select(User.id).where(User.dev_persona == world.case_worker)).one()
        worker = load_actor(s, worker_id)
        seller_id = s.exec(select(User.id).where(User.dev_persona == f"jp-seller-{locale}")).one()
        seller = load_actor(s, seller_id)
        assert worker is not None and seller is not None
        for n in range(5):
            rater = User(display_name=f"Arvioija {n} {locale}", locale=locale)
            s.add(rater)
            s.flush()
            s.add(
                Membership(
                    user_id=rater.id,  # type: ignore[arg-type]
                    role=Role.client,
                    organiser_id=world.organiser_id,
                    case_worker_id=worker_id,
                )
            )
            s.flush()
            client = load_actor(s, rater.id)  # type: ignore[arg-type]
            assert client is not None
            budget = budget_service.set_frame(
                s,
                worker,
                rater.id,  # type: ignore[arg-type]
                budget_service.FrameInput(
                    100_000,
                    ExperimentArm.a,
                    {},
                    "e2e",
                    date(today.year, 1, 1),
                    date(today.year, 12, 31),
                ),
            )
            line = plan.add_line(s, client, budget, offer_id, 1, 2, today)
            plan.submit(s, client, budget, "", None)
            plan.confirm(s, worker, budget, "")
            deliveries.decide_order(s, seller, line.id, True)  # type: ignore[arg-type]
            done = deliveries.report_delivery(s, seller, line.id, today, 1, "")  # type: ignore[arg-type]
            deliveries.accept(s, client, budget, done.id)  # type: ignore[arg-type]
            comment = f"Kommentti {n}" if n < 4 else "Myöhästyi kerran."
            feedback.rate(
                s,
                client,
                offer_id,
                feedback.RatingForm(quality=4, effect=3, comment=comment),
                today,
            )
        s.commit()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_provider_journey(browser: Any, live_server: Any, locale: str) -> None:
    with live_server.session() as s:
        world = make_world(s, "jp", locale, frame_cents=100_000)
        seller = User(
            display_name=f"Paula Palvelu {locale}", locale=locale, dev_persona=f"jp-seller-{locale}"
        )
        admin = User(
            display_name=f"Anne Admin {locale}", locale=locale, dev_persona=f"jp-admin-{locale}"
        )
        s.add_all([seller, admin])
        s.flush()
        s.add(Membership(user_id=admin.id, role=Role.admin, organiser_id=world.organiser_id))  # type: ignore[arg-type]
        s.commit()
    base = live_server.url
    name = f"Kotiapu Journey {locale} Oy"
    business_id = new_business_id()
    other = "sv" if locale == "fi" else "fi"

    # Register and apply for approval from the organiser.
    page = new_page(browser, locale)
    login(page, base, f"jp-seller-{locale}")
    visit(page, base + "/tuottaja/rekisteroidy")
    fill(page, "#f-name", name)
    fill(page, "#f-business_id", business_id)
    fill(page, "#f-soteri_number", "SOTERI-123")
    fill(page, "#f-contact_email", "info@kotiapu.example")
    fill(page, "#f-description_fi", "Kotiin annettavaa apua.")
    fill(page, "#f-description_sv", "Hjälp i hemmet.")
    _keyboard_choice(page, "input[name=languages][value=fi]")
    _keyboard_choice(page, "input[name=languages][value=sv]")
    choose(page, "#f-organiser", f"jp-{locale}")
    enter(page, "main form button[type=submit]")
    assert page.url.endswith("/tuottaja")
    checked(page)
    area = "Testialue jp" if locale == "fi" else "Testområde jp"
    see(page, name, f"{area}: {t(locale, 'Waiting for a decision')}")
    see(page, t(locale, "No services yet."))
    page.context.close()

    # (The organiser's admin checks the application and approves it.)
    office = new_page(browser, locale)
    login(office, base, f"jp-admin-{locale}")
    visit(office, base + "/hallinto/tuottajat")
    see(office, name, business_id)
    enter(office, f"main a:text('{name}')")  # waiting for a decision: first on the page
    checked(office)
    _keyboard_choice(office, "#f-insurance-box")
    _keyboard_choice(office, "#f-self_monitoring_plan-box")
    enter(office, "button[name=action][value=approve]")
    checked(office)
    office.context.close()

    # Approved: publish two offers, each with a Finnish and a Swedish name and description.
    page = new_page(browser, locale)
    login(page, base, f"jp-seller-{locale}")
    visit(page, base + "/tuottaja")
    see(page, f"{area}: {t(locale, 'Approved')}")
    offer_ids = []
    for offer in OFFERS:
        enter(page, "main a[href$='/palvelut/uusi']")
        checked(page)
        fill(page, "#f-title_fi", str(offer["fi"]))
        fill(page, "#f-title_sv", str(offer["sv"]))
        fill(page, "#f-description_fi", f"{offer['fi']}: kuvaus suomeksi.")
        fill(page, "#f-description_sv", f"{offer['sv']}: beskrivning på svenska.")
        choose(page, "#f-category_id", str(world.categories[0]))
        choose(page, "#f-unit", "hour")
        fill(page, "#f-price", str(offer["price"]))
        _keyboard_choice(page, "input[name=delivery_modes][value=home]")
        _keyboard_choice(page, "input[name=languages][value=fi]")
        _keyboard_choice(page, "input[name=languages][value=sv]")
        choose(page, "#f-status", "published")
        enter(page, "main form button[type=submit]")
        assert "/tuottaja/palvelut/" in page.url
        checked(page)
        offer_ids.append(int(page.url.rsplit("/", 1)[1]))
        visit(page, base + "/tuottaja")
        see(page, str(offer[locale]), money(int(offer["cents"]), locale))

    # The public offer page shows each language's own texts.
    visit(page, f"{base}/palvelut/{offer_ids[0]}")
    assert page.locator("h1").inner_text().strip() == OFFERS[0][locale]
    see(page, f"{OFFERS[0][locale]}: ")
    reader = new_page(browser, other)
    visit(reader, f"{base}/palvelut/{offer_ids[0]}")
    assert reader.locator("h1").inner_text().strip() == OFFERS[0][other]
    reader.context.close()

    # (A client puts the first offer in a plan; the case worker confirms it.)
    _order_and_confirm(live_server, world, offer_ids[0])

    # Accept the order and report two deliveries.
    visit(page, base + "/tuottaja/tilaukset")
    see(page, OFFERS[0][locale], world.names["client"])
    enter(page, "main a[href^='/tuottaja/tilaukset/']")  # the new order, first on the page
    checked(page)
    enter(page, "form[action$='/hyvaksy'] button")
    checked(page)
    see(page, t(locale, "Accepted"))
    for units, done in (("1", 1), ("2", 3)):
        fill(page, "form[action$='/toimitukset'] input[name=units]", units)
        enter(page, "form[action$='/toimitukset'] button[type=submit]")
        checked(page)
        see(page, t(locale, "Delivered %(done)s of %(total)s units.", done=done, total=4))
    see(
        page,
        t(locale, "Reported deliveries"),
        t(locale, "%(units)s units, %(amount)s", units=2, amount=money(9_100, locale)),
    )

    # Reply publicly to a client's comment (shown once five clients have rated).
    _five_ratings(live_server, world, offer_ids[0], locale)
    visit(page, base + "/tuottaja/arviot")
    see(page, "Myöhästyi kerran.")
    reply = "Pahoittelemme, korjasimme aikataulun." if locale == "fi" else "Vi ber om ursäkt."
    entry = page.locator("article.rating-entry", has_text="Myöhästyi kerran.")
    entry.locator("form[action$='/vastaus'] textarea").focus()
    page.keyboard.type(reply)
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)
    see(page, reply)
    reader = new_page(browser, other)
    visit(reader, f"{base}/palvelut/{offer_ids[0]}")
    see(reader, "Myöhästyi kerran.", reply)
    reader.context.close()
    page.context.close()
