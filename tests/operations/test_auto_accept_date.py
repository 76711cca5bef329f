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
        ("fi", "Hyväksytään automaattisesti {d.day}.{d.month}.{d.year}"),
        ("sv", "Godkänns automatiskt {d.day}.{d.month}.{d.year}"),
        ("en", "To be accepted automatically on {d.day} {month} {d.year}"),
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
    assert sentence.format(d=day, month=day.strftime("%b")) in card  # type: ignore[attr-defined]
