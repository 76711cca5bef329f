"""The client sees the day an unchecked delivery will be accepted automatically, written the
way their language writes dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models.budget import Budget
from app.models.ledger import Delivery, DeliveryStatus
from app.models.user import User
from app.services.identity.mandates import today as finnish_today
from tests.support.web import login_as


def _due_day(engine: Engine, persona: str) -> tuple[int, object]:
    with Session(engine) as s:
        person = s.exec(select(User).where(User.dev_persona == persona)).one()
        delivery = s.exec(
            select(Delivery)
            .join(Budget, Budget.id == Delivery.budget_id)  # type: ignore[arg-type]
            .where(Budget.client_id == person.id, Delivery.status == DeliveryStatus.reported)
        ).first()
        assert delivery is not None
        return delivery.id, delivery.created_at.date() + timedelta(days=14)  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("locale", "sentence"),
    [
        ("fi", "hyväksytään automaattisesti {d.day}.{d.month}.{d.year} eli {n} päivän kuluttua."),
        ("sv", "godkänns leveransen automatiskt den {d.day}.{d.month}.{d.year}, om {n} dagar."),
        ("en", "accepted automatically on {d.day} {month} {d.year}, in {n} days."),
    ],
)
def test_the_client_sees_the_auto_accept_day(
    client: TestClient, demo: None, engine: Engine, locale: str, sentence: str
) -> None:
    delivery_id, day = _due_day(engine, "client")
    login_as(client, "client")
    client.get(f"/lang/{locale}")
    page = client.get("/oma/toimitukset")
    assert page.status_code == 200
    card = page.text.split(f'id="delivery-{delivery_id}"')[1].split("</li>")[0]
    left = (day - finnish_today()).days  # type: ignore[operator]
    assert left > 1  # the demo's delivery was reported today: days to go, said in words
    assert sentence.format(d=day, month=day.strftime("%b"), n=left) in card  # type: ignore[attr-defined]
