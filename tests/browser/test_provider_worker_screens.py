"""The provider's orders and delivery history, the case worker's worklist and plan decision,
and the admin's provider approvals, on a 360 × 740 phone by keyboard, in fi and sv, axe on
every page: the newest order is reached in at most 15 Tab presses from the top of the orders
page (of many orders), a delivery error is shown at its field with the focus on the error
summary and the typed value kept, and no page scrolls sideways.

Screenshots of each screen are written to $HEBU_SCREENSHOTS when it is set."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from app.models.budget import ExperimentArm
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.user import Membership, Role, User
from app.services.budget import deliveries, disputes, plan
from app.services.budget import frames as budget_service
from app.services.identity.users import load_actor
from tests.browser.conftest import PHONE, new_page
from tests.browser.journey import (
    checked,
    choose,
    enter,
    fill,
    login,
    make_world,
    new_business_id,
    see,
    t,
    visit,
)

NEWEST_ORDER_TABS = 15
ORDERS = 24  # more than a page of the list


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("HEBU_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))  # the first screen
        page.screenshot(path=str(Path(folder) / f"{name}-full.png"), full_page=True)


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _actor(s: Session, user_id: int) -> Any:
    actor = load_actor(s, user_id)
    assert actor is not None
    return actor


def _world(live_server: Any, locale: str, key: str) -> tuple[Any, dict[str, Any]]:
    """A provider with ORDERS confirmed orders from as many clients (all accepted, one
    delivered and disputed until the worker decides, the newest three new), and one client
    whose plan waits for the worker."""
    offer = ({"fi": "Fysioterapia", "sv": "Fysioterapi"}, 5_000)
    year = date.today().year
    made: dict[str, Any] = {"lines": []}
    with live_server.session() as s:
        world = make_world(s, key, locale, offers=[offer])
        worker_id = s.exec(select(User.id).where(User.dev_persona == world.case_worker)).one()
        seller_id = s.exec(select(User.id).where(User.dev_persona == world.provider)).one()
        worker, seller = _actor(s, worker_id), _actor(s, seller_id)
        for n in range(ORDERS + 1):
            person = User(display_name=f"Asiakas {n:02d} {key} {locale}", locale=locale)
            s.add(person)
            s.flush()
            member = Membership(
                user_id=person.id,  # type: ignore[arg-type]
                role=Role.client,
                organiser_id=world.organiser_id,
                case_worker_id=worker_id,
            )
            s.add(member)
            s.flush()
            frame = budget_service.FrameInput(
                100_000, ExperimentArm.a, {}, "e2e", date(year, 1, 1), date(year, 12, 31)
            )
            budget = budget_service.set_frame(s, worker, person.id, frame)  # type: ignore[arg-type]
            client = _actor(s, person.id)  # type: ignore[arg-type]
            line = plan.add_line(s, client, budget, world.offers[0], 1, 4, date.today())
            plan.submit(s, client, budget, "")
            if n == ORDERS:  # the last one waits for the worker's decision
                made["waiting_client"] = person.id
                break
            plan.confirm(s, worker, budget, "")
            made["lines"].append(line.id)
            if n < ORDERS - 3:
                deliveries.decide_order(s, seller, line.id, True)  # type: ignore[arg-type]
            if n == 0:
                done = deliveries.report_delivery(s, seller, line.id, date.today(), 1, "")  # type: ignore[arg-type]
                disputes.dispute(s, client, budget, done.id, "ei")  # type: ignore[arg-type]
                disputes.contest(s, seller, done.id, "on")  # type: ignore[arg-type]
        admin = User(display_name=f"Anne Admin {key} {locale}", locale=locale,
                     dev_persona=f"{key}-admin-{locale}")  # fmt: skip
        s.add(admin)
        s.flush()
        s.add(Membership(user_id=admin.id, role=Role.admin, organiser_id=world.organiser_id))  # type: ignore[arg-type]
        applicant = Provider(name=f"Uusi Hakija {key} {locale} Oy", business_id=new_business_id())
        s.add(applicant)
        s.flush()
        s.add(ProviderApproval(provider_id=applicant.id, organiser_id=world.organiser_id,  # type: ignore[arg-type]
                               status=ApprovalStatus.pending))  # fmt: skip
        s.commit()
        made["applicant"] = applicant.name
    return world, made


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_provider_orders_and_history_on_a_phone(
    browser: Any, live_server: Any, locale: str
) -> None:
    world, made = _world(live_server, locale, "pws")
    newest = made["lines"][-1]
    base = live_server.url
    page = new_page(browser, locale, PHONE)
    try:
        login(page, base, world.provider)
        visit(page, base + "/tuottaja/tilaukset")
        _no_sideways_scroll(page)
        see(page, t(locale, "New orders (%(n)s)", n=3))
        _shot(page, f"provider-orders-{locale}")
        # From the top of the page to the newest order in at most 15 Tab presses.
        target = f"a[href='/tuottaja/tilaukset/{newest}']"
        for _press in range(NEWEST_ORDER_TABS):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", target):
                break
        else:
            pytest.fail(f"the newest order was not reached in {NEWEST_ORDER_TABS} Tab presses")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        checked(page)
        enter(page, "form[action$='/hyvaksy'] button")
        assert page.url.endswith(f"/tuottaja/tilaukset/{newest}")
        checked(page)
        # Too many units: the error is at its field, the focus on the summary, nothing lost.
        fill(page, "#f-units", "999")
        enter(page, "form[action$='/toimitukset'] button[type=submit]")
        checked(page)
        assert page.evaluate("() => document.activeElement.id") == "error-summary"
        assert page.locator("#f-units").get_attribute("aria-invalid") == "true"
        assert page.locator("#f-units").input_value() == "999"
        see(page, t(locale, "That is more than the plan has left for this service."))
        _no_sideways_scroll(page)
        _shot(page, f"provider-order-error-{locale}")
        page.locator("#error-summary a").first.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "f-units"
        fill(page, "#f-units", "2")
        enter(page, "form[action$='/toimitukset'] button[type=submit]")
        checked(page)
        see(page, t(locale, "Delivered %(done)s of %(total)s units.", done=2, total=4))

        # Search by the client's name; the list names only that client's orders.
        visit(page, base + "/tuottaja/tilaukset")
        name = f"Asiakas 05 pws {locale}"
        fill(page, "#f-q", "asiakas 05")
        enter(page, "form[role=search] button[type=submit]")
        checked(page)
        listed = page.locator("#list-heading ~ ul.cards li").all_inner_texts()
        assert listed and all(name in text for text in listed)

        # The delivery history, sorted by client by a link.
        visit(page, base + "/tuottaja/toimitukset")
        _no_sideways_scroll(page)
        choose(page, "#f-sort", "client")
        enter(page, "form[action='/tuottaja/toimitukset'] button[type=submit]")
        checked(page)
        assert page.url.endswith("sort=client")
        assert page.locator("th[aria-sort=ascending] a[href$='sort=-client']").count() == 1
        clients = page.locator("main tbody td[data-label]:nth-child(2)").all_inner_texts()
        assert clients == sorted(clients) and len(clients) == 2
        _shot(page, f"provider-deliveries-{locale}")
        # The disputed delivery has its own page with the provider's answers.
        enter(page, "main tbody a")
        checked(page)
        _no_sideways_scroll(page)
        _shot(page, f"provider-delivery-{locale}")
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_worklist_plan_decision_and_approvals_on_a_phone(
    browser: Any, live_server: Any, locale: str
) -> None:
    world, made = _world(live_server, locale, "wws")
    base = live_server.url
    page = new_page(browser, locale, PHONE)
    try:
        login(page, base, world.case_worker)
        assert page.url.endswith("/tyo")  # the worker starts from the worklist
        checked(page)
        _no_sideways_scroll(page)
        waiting = t(locale, "Plan waiting for your decision")
        decide = t(locale, "Disputed delivery for you to decide")
        items = page.locator("ul.worklist li").all_inner_texts()
        assert any(waiting in text for text in items) and any(decide in text for text in items)
        _shot(page, f"worker-worklist-{locale}")
        enter(page, f"a[href='/asiakkaat/{made['waiting_client']}/budjetti']")
        checked(page)
        see(page, t(locale, "Assessment and goals"))
        assert page.locator("details.frame-change").count() == 1
        assert page.locator("details.frame-change[open]").count() == 0  # folded: a frame is set
        assert page.locator("#f-frame").is_hidden()
        _no_sideways_scroll(page)
        _shot(page, f"worker-plan-{locale}")
        page.context.close()

        page = new_page(browser, locale, PHONE)
        login(page, base, f"wws-admin-{locale}")
        visit(page, base + "/hallinto/tuottajat")
        _no_sideways_scroll(page)
        first = page.locator("main a").first.inner_text()
        assert first == made["applicant"]  # waiting for a decision: first
        see(
            page,
            t(locale, "Applied on %(day)s", day=""),
            t(locale, "Waiting for a decision (%(n)s)", n=1),
        )
        _shot(page, f"admin-approvals-{locale}")
        enter(page, f"main a:text('{made['applicant']}')")
        checked(page)
        _no_sideways_scroll(page)
        _shot(page, f"admin-approval-{locale}")
    finally:
        page.context.close()
