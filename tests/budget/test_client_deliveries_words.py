"""The client's deliveries in plain words: the provider's name, units with their plural, and
"That's not right" instead of a legal "dispute" (demo data: Aino has a delivery to check)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models.budget import Budget, PlanLine
from app.models.ledger import Delivery, DeliveryStatus
from app.models.provider import Provider
from app.models.user import User
from tests.support.web import login_as

UNIT_WORDS = {
    "fi": {"hour": ("tunti", "tuntia"), "visit": ("käynti", "käyntiä"), "day": ("päivä", "päivää")},
    "sv": {"hour": ("timme", "timmar"), "visit": ("besök", "besök"), "day": ("dag", "dagar")},
    "en": {"hour": ("hour", "hours"), "visit": ("visit", "visits"), "day": ("day", "days")},
}
BUTTON = {"fi": "Ei pidä paikkaansa", "sv": "Det stämmer inte", "en": "That's not right"}


def _reported(engine: Engine) -> tuple[int, int, str, str]:
    with Session(engine) as s:
        aino = s.exec(select(User).where(User.dev_persona == "client")).one()
        delivery, line = s.exec(
            select(Delivery, PlanLine)
            .join(Budget, Budget.id == Delivery.budget_id)  # type: ignore[arg-type]
            .join(PlanLine, PlanLine.id == Delivery.plan_line_id)  # type: ignore[arg-type]
            .where(Budget.client_id == aino.id, Delivery.status == DeliveryStatus.reported)
        ).first()  # type: ignore[misc]
        provider = s.get(Provider, line.provider_id)
        assert provider is not None
        return delivery.id, delivery.units, str(line.unit), provider.name


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_delivery_card_says_who_how_much_and_not_right(
    client: TestClient, demo: None, engine: Engine, locale: str
) -> None:
    delivery_id, units, unit, provider = _reported(engine)
    assert unit in UNIT_WORDS[locale]
    login_as(client, "client")
    client.get(f"/lang/{locale}")
    page = client.get("/oma/toimitukset")
    card = page.text.split(f'id="delivery-{delivery_id}"')[1].split("</li>")[0]
    one, many = UNIT_WORDS[locale][unit]
    assert f"{units} {one if units == 1 else many}" in card
    assert provider in card
    assert f'action="/oma/toimitukset/{delivery_id}/kiista"' in card
    assert f">{BUTTON[locale]}<" in card.replace("&#39;", "'")


@pytest.mark.parametrize(
    ("locale", "unit", "n", "expected"),
    [
        ("fi", "hour", 1, "1 tunti"),
        ("fi", "hour", 2, "2 tuntia"),
        ("sv", "hour", 1, "1 timme"),
        ("sv", "hour", 2, "2 timmar"),
        ("sv", "trip", 3, "3 resor"),
        ("fi", "unknown", 2, "2 yksikköä"),
    ],
)
def test_units_take_the_plural_of_the_language(locale: str, unit: str, n: int, expected: str):
    from app import i18n
    from app.templating import templates

    macro = templates.get_template("partials/_units.html").module.units  # type: ignore[attr-defined]
    token = i18n.set_locale(locale)
    try:
        assert str(macro(n, unit)) == expected
    finally:
        i18n.reset_locale(token)
