"""Money forms are done once: a double click or a replay of the same form (its one-time key)
is answered with the first result, over HTTP, one after the other and in parallel."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models.budget import PlanAction, PlanEvent
from app.models.ledger import Delivery
from app.models.user import User
from app.services.budget import deliveries, plan
from tests.support.budget_world import TODAY, build
from tests.support.web import form_post, login_as


def _persona(session: Session, user: User, name: str) -> None:
    user.dev_persona = name
    session.add(user)


def _world(engine: Engine) -> tuple[int, int]:
    """(line id, budget id): a confirmed, accepted line of 20 units; personas for login."""
    with Session(engine, expire_on_commit=False) as s:
        world = build(s, code="once")
        budget = world.frame(100_000)
        client = world.actor(world.client)
        line = plan.add_line(s, client, budget, world.offer(1_000).id, 20, 1, TODAY)  # type: ignore[arg-type]
        plan.submit(s, client, budget, "")
        plan.confirm(s, world.actor(world.case_worker), budget, "")
        deliveries.decide_order(s, world.actor(world.provider_user), line.id, True)  # type: ignore[arg-type]
        _persona(s, world.provider_user, "once-provider")
        _persona(s, world.client, "once-client")
        s.commit()
        return line.id, budget.id  # type: ignore[return-value]


def _form_key(html: str, action: str) -> str:
    form = re.search(rf'action="{re.escape(action)}">(.*?)</form>', html, re.S)
    assert form, f"no form posting to {action}"
    key = re.search(r'name="form_key" value="([0-9a-f]{32})"', form.group(1))
    assert key
    return key.group(1)


def _delivered(engine: Engine, line_id: int) -> int:
    with Session(engine) as s:
        return len(s.exec(select(Delivery).where(Delivery.plan_line_id == line_id)).all())


def test_a_double_clicked_delivery_report_is_recorded_once(
    client: TestClient, engine: Engine
) -> None:
    line_id, _budget = _world(engine)
    login_as(client, "once-provider")
    action = f"/tuottaja/tilaukset/{line_id}/toimitukset"
    fields = {"delivered_on": TODAY.isoformat(), "units": "2", "note": ""}
    key = _form_key(client.get(f"/tuottaja/tilaukset/{line_id}").text, action)
    first = form_post(client, action, {**fields, "form_key": key})
    again = form_post(client, action, {**fields, "form_key": key})
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert _delivered(engine, line_id) == 1
    # Eight clicks at once on a fresh page: one more delivery.
    key = _form_key(client.get(f"/tuottaja/tilaukset/{line_id}").text, action)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(lambda _: form_post(client, action, {**fields, "form_key": key}), range(8))
        )
    assert {a.status_code for a in answers} == {303}
    assert _delivered(engine, line_id) == 2
    # The same report on a new form (a new key) is a new delivery.
    key = _form_key(client.get(f"/tuottaja/tilaukset/{line_id}").text, action)
    assert form_post(client, action, {**fields, "form_key": key}).status_code == 303
    assert _delivered(engine, line_id) == 3


def test_a_replayed_plan_submit_is_answered_with_the_first_result(
    client: TestClient, engine: Engine
) -> None:
    _line, budget_id = _world(engine)
    login_as(client, "once-client")
    assert form_post(client, "/oma/budjetti/muutos").status_code == 303
    key = _form_key(client.get("/oma/budjetti").text, "/oma/budjetti/laheta")
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(
            pool.map(
                lambda _: form_post(client, "/oma/budjetti/laheta", {"form_key": key, "note": ""}),
                range(6),
            )
        )
    assert {a.status_code for a in answers} == {303}, [a.text[-500:] for a in answers]
    with Session(engine) as s:
        sent = s.exec(
            select(PlanEvent).where(
                PlanEvent.budget_id == budget_id, PlanEvent.action == PlanAction.submitted
            )
        ).all()
    assert len(sent) == 2  # the first version's, and this one's once
