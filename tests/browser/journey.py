"""Shared pieces of the journey tests: a small world of users and offers per test and locale
(set up through the models and services so that parallel journeys never collide), and the
keyboard helpers every journey uses. Every page a journey visits is checked with axe."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from app.models.budget import ExperimentArm
from app.models.offer import Offer, OfferStatus, Unit
from app.models.organiser import Category, Organiser
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.user import Membership, Role, User
from app.services.budget import frames as budget_service
from app.services.catalogue.listings import business_id_valid
from app.services.identity.users import load_actor
from app.services.search import outbox
from tests.browser.conftest import assert_accessible

_business_numbers = itertools.count(4_100_000)


def new_business_id(taken: set[str] | None = None) -> str:
    """A fresh valid Y-tunnus (modulo-11 check digit) that no other journey uses."""
    while True:
        body = f"{next(_business_numbers):07d}"
        for check in range(10):
            candidate = f"{body}-{check}"
            if business_id_valid(candidate) and candidate not in (taken or set()):
                return candidate


@dataclass
class World:
    """Ids of one journey's own organiser, people and offers."""

    organiser_id: int
    categories: list[int]
    case_worker: str
    client: str
    client_id: int
    provider: str = ""
    provider_id: int = 0
    offers: list[int] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)


def _user(s: Session, persona: str, name: str, locale: str) -> User:
    user = User(display_name=name, locale=locale, dev_persona=persona)
    s.add(user)
    s.flush()
    return user


def make_world(
    s: Session,
    key: str,
    locale: str,
    *,
    own_share: bool = False,
    offers: list[tuple[dict[str, str], int]] | None = None,
    frame_cents: int | None = None,
) -> World:
    """An organiser of its own with two main categories, a case worker, a client and
    (when `offers` is given) an approved provider with published offers in the first category."""
    organiser = Organiser(
        code=f"{key}-{locale}",
        name={"fi": f"Testialue {key}", "sv": f"Testområde {key}"},
        allows_own_share=own_share,
    )
    s.add(organiser)
    s.flush()
    categories = []
    for position, (fi, sv) in enumerate([("Kuntoutus", "Rehabilitering"), ("Arki", "Vardag")]):
        category = Category(
            organiser_id=organiser.id,  # type: ignore[arg-type]
            slug=f"cat{position}",
            name={"fi": fi, "sv": sv, "en": fi},
            position=position,
        )
        s.add(category)
        categories.append(category)
    s.flush()
    worker = _user(s, f"{key}-cw-{locale}", f"Kaisa Käsittelijä {key} {locale}", locale)
    s.add(Membership(user_id=worker.id, role=Role.case_worker, organiser_id=organiser.id))  # type: ignore[arg-type]
    client = _user(s, f"{key}-client-{locale}", f"Asta Asiakas {key} {locale}", locale)
    s.add(
        Membership(
            user_id=client.id,  # type: ignore[arg-type]
            role=Role.client,
            organiser_id=organiser.id,
            case_worker_id=worker.id,
        )
    )
    s.flush()
    world = World(
        organiser_id=organiser.id,  # type: ignore[arg-type]
        categories=[c.id for c in categories],  # type: ignore[misc]
        case_worker=worker.dev_persona or "",
        client=client.dev_persona or "",
        client_id=client.id,  # type: ignore[arg-type]
        names={"case_worker": worker.display_name, "client": client.display_name},
    )
    if offers:
        provider = Provider(
            name=f"Hevoshaka {key} {locale}",
            business_id=new_business_id(),
            languages=["fi", "sv"],
        )
        s.add(provider)
        s.flush()
        s.add(
            ProviderApproval(
                provider_id=provider.id,  # type: ignore[arg-type]
                organiser_id=organiser.id,  # type: ignore[arg-type]
                status=ApprovalStatus.approved,
            )
        )
        seller = _user(s, f"{key}-provider-{locale}", f"Pertti Tuottaja {key} {locale}", locale)
        s.add(Membership(user_id=seller.id, role=Role.provider_owner, provider_id=provider.id))  # type: ignore[arg-type]
        for title, price in offers:
            offer = Offer(
                provider_id=provider.id,  # type: ignore[arg-type]
                category_id=categories[0].id,  # type: ignore[arg-type]
                title=title,
                description={"fi": "<p>Kuvaus.</p>", "sv": "<p>Beskrivning.</p>"},
                unit=Unit.session,
                unit_price_cents=price,
                status=OfferStatus.published,
                languages=["fi", "sv"],
                delivery_modes=["home"],
            )
            s.add(offer)
            s.flush()
            world.offers.append(offer.id)  # type: ignore[arg-type]
        outbox.enqueue(s, world.offers)  # indexed for the search after commit
        world.provider = seller.dev_persona or ""
        world.provider_id = provider.id  # type: ignore[assignment]
        world.names["provider"] = provider.name
    if frame_cents is not None:
        actor = load_actor(s, worker.id)  # type: ignore[arg-type]
        assert actor is not None
        year = date.today().year
        budget_service.set_frame(
            s,
            actor,
            client.id,  # type: ignore[arg-type]
            budget_service.FrameInput(
                frame_cents, ExperimentArm.a, {}, "e2e", date(year, 1, 1), date(year, 12, 31)
            ),
        )
    return world


# --- keyboard helpers ---------------------------------------------------------------------


def fill(page: Any, selector: str, value: str) -> None:
    """Focus a field, select what is there and type the new value."""
    page.focus(selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(value)


def enter(page: Any, selector: str) -> None:
    """Focus a link or button and press Enter; wait for the page it leads to."""
    page.locator(selector).first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def visit(page: Any, url: str) -> None:
    """Go to an address (as typed into the address bar) and check the page with axe."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    checked(page)


def checked(page: Any) -> None:
    """The page has one h1, the language attribute set, and no axe violations."""
    assert page.locator("h1").count() == 1, page.url
    assert page.locator("html").get_attribute("lang") in ("fi", "sv")
    assert_accessible(page)


def login(page: Any, base_url: str, persona: str) -> None:
    """The development login, by keyboard: focus the persona's button and press Enter."""
    page.goto(f"{base_url}/login")
    enter(page, f'form:has(input[name="persona"][value="{persona}"]) button')


def main_text(page: Any) -> str:
    return str(page.locator("main").inner_text())


def see(page: Any, *texts: str) -> None:
    """Each text is shown in the page's main content."""
    body = main_text(page)
    for text in texts:
        assert text in body, f"{text!r} not on {page.url}:\n{body[:2000]}"


def tab_to(page: Any, selector: str, limit: int = 150) -> None:
    """Press Tab until the element matching the selector has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} was not reachable by keyboard")


def t(locale: str, message: str, **variables: Any) -> str:
    """The text the user sees for an English msgid; a missing translation fails the test."""
    from app import i18n

    text = str(i18n.translations(locale).ugettext(message))
    assert text != message or locale == "en", f"{message!r} is not translated to {locale}"
    return text % variables if variables else text


def money(cents: int, locale: str) -> str:
    from app import i18n

    return i18n.format_money(cents, locale=locale)


def choose(page: Any, selector: str, value: str) -> None:
    """Pick an option of a select by keyboard: Home, then ArrowDown until it is chosen."""
    page.focus(selector)
    page.keyboard.press("Home")
    for _ in range(60):
        if page.eval_on_selector(selector, "e => e.value") == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"option {value!r} of {selector} was not reachable by keyboard")


def tab_enter(page: Any, selector: str) -> None:
    """Reach a link or button with Tab alone, then press Enter; wait for the next page."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def answer_parts(page: Any, text: str, each_part: Any = None) -> int:
    """Answer every question of a self-assessment by keyboard, part by part (Space on the
    first option, the text typed into text questions), checking each part with axe; returns
    how many parts there were. `each_part(page)` adds the journey's own checks."""
    parts = 0
    while "/osio/" in page.url:
        parts += 1
        checked(page)
        assert page.locator("progress").count() == 1
        if each_part is not None:
            each_part(page)
        ids = page.eval_on_selector_all(
            "form [id^='f-']", "els => els.map(e => e.id).filter(i => i.split('-').length === 2)"
        )
        for element_id in ids:
            page.focus(f"#{element_id}")
            if page.evaluate("(i) => document.getElementById(i).tagName", element_id) == "TEXTAREA":
                page.keyboard.type(text)
                page.keyboard.press("Tab")
            else:
                page.keyboard.press("Space")
        page.wait_for_function("!document.querySelector('.htmx-request')")  # answers saved
        enter(page, "button[name=action][value=next]")
        assert parts < 12
    return parts
