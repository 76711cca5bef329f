"""Taking a sent plan back, "Add to my plan" on a waiting or confirmed plan, and the own-share
confirmation step, through HTTP (demo data: Erik's plan is waiting, Aino's is confirmed)."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models.budget import Budget, PlanAction, PlanEvent, PlanStatus, PlanVersion
from app.models.mandate import Mandate
from app.models.notification import Notification
from app.models.offer import Offer
from app.models.user import User
from app.services.budget import plan, plan_offers
from app.services.identity.mandates import today
from app.services.notifications.kinds import Kind
from tests.support.web import csrf_token, form_post, form_token_in, login_as

TAKE_BACK = 'action="/oma/budjetti/takaisin"'
ADD = 'action="/oma/budjetti/rivit"'


def _persona(session: Session, key: str) -> User:
    found = session.exec(select(User).where(User.dev_persona == key)).one()
    session.commit()
    return found


def _plan_of(session: Session, key: str) -> PlanVersion:
    client = _persona(session, key)
    budget = session.exec(select(Budget).where(Budget.client_id == client.id)).one()
    latest = session.exec(
        select(PlanVersion)
        .where(PlanVersion.budget_id == budget.id)
        .order_by(PlanVersion.number.desc())  # type: ignore[attr-defined]
    ).first()
    session.commit()
    assert latest is not None
    return latest


def _status(session: Session, key: str) -> PlanStatus:
    session.expire_all()
    return _plan_of(session, key).status


def _an_offer(session: Session, key: str) -> Offer:
    client = _persona(session, key)
    budget = session.exec(select(Budget).where(Budget.client_id == client.id)).one()
    offer = plan_offers.available_offers(session, budget, today())[0]
    session.commit()
    return offer


def test_waiting_plan_explains_and_is_taken_back_once(
    client: TestClient, demo: None, session: Session
) -> None:
    offer = _an_offer(session, "client-sv")
    assert _status(session, "client-sv") == PlanStatus.submitted
    login_as(client, "client-sv")
    page = client.get("/oma/budjetti").text
    assert TAKE_BACK in page and ADD not in page
    chosen = client.get(f"/oma/budjetti?palvelu={offer.id}").text
    assert 'id="add-heading"' in chosen  # the offer page's link lands on an explanation
    assert ADD not in chosen and f'name="palvelu" value="{offer.id}"' in chosen
    # A double click: the same form posted twice is done once, with the same answer.
    token = form_token_in(chosen)
    data = {"version": "1", "palvelu": str(offer.id), "form_key": token, "csrftoken": ""}
    data["csrftoken"] = csrf_token(client)
    first = client.post("/oma/budjetti/takaisin", data=data)
    second = client.post("/oma/budjetti/takaisin", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert first.headers["location"] == f"/oma/budjetti?palvelu={offer.id}#add-heading"
    assert _status(session, "client-sv") == PlanStatus.draft
    events = session.exec(select(PlanEvent).where(PlanEvent.action == PlanAction.taken_back)).all()
    notes = session.exec(select(Notification).where(Notification.kind == Kind.plan_taken_back))
    assert len(events) == 1 and len(notes.all()) == 1
    session.commit()
    again = client.get(f"/oma/budjetti?palvelu={offer.id}").text
    assert ADD in again and f'<option value="{offer.id}" selected>' in again
    assert TAKE_BACK not in again
    # Sent again, it waits once more; a stale "take back" of a decided plan is refused.
    assert form_post(client, "/oma/budjetti/laheta", {"version": "1"}).status_code == 303
    assert _status(session, "client-sv") == PlanStatus.submitted


def test_another_client_or_an_assistant_without_plan_mandate_cannot_take_back(
    client: TestClient, demo: None, session: Session
) -> None:
    erik = _persona(session, "client-sv")
    login_as(client, "client")  # Aino's own plan is confirmed: nothing of hers waits
    assert form_post(client, "/oma/budjetti/takaisin", {"version": "1"}).status_code == 409
    assert _status(session, "client-sv") == PlanStatus.submitted
    login_as(client, "assistant")  # not acting for anyone
    assert form_post(client, "/oma/budjetti/takaisin", {"version": "1"}).status_code == 403
    mandate = session.exec(select(Mandate).where(Mandate.client_user_id == erik.id)).one()
    mandate.valid_until = today() + timedelta(days=30)
    mandate.scopes = ["view"]
    session.add(mandate)
    session.commit()
    assert form_post(client, f"/avustaja/toimi/{mandate.id}").status_code == 303
    assert client.get("/oma/budjetti").status_code == 200  # may look, not change
    assert form_post(client, "/oma/budjetti/takaisin", {"version": "1"}).status_code == 403
    assert _status(session, "client-sv") == PlanStatus.submitted
    mandate = session.exec(select(Mandate).where(Mandate.id == mandate.id)).one()
    mandate.scopes = ["view", "plan"]
    session.add(mandate)
    session.commit()
    assert form_post(client, "/oma/budjetti/takaisin", {"version": "1"}).status_code == 303
    assert _status(session, "client-sv") == PlanStatus.draft
    event = session.exec(select(PlanEvent).where(PlanEvent.action == PlanAction.taken_back)).one()
    assert event.on_behalf_of_id == erik.id
    session.commit()


def test_confirmed_plan_explains_a_new_version(
    client: TestClient, demo: None, session: Session
) -> None:
    offer = _an_offer(session, "client")
    assert _status(session, "client") == PlanStatus.confirmed
    login_as(client, "client")
    page = client.get(f"/oma/budjetti?palvelu={offer.id}").text
    assert ADD in page and 'id="new-version-note"' in page
    assert "uusi versio" in page  # Aino reads Finnish: a new version is confirmed again
    plain = client.get("/oma/budjetti").text
    assert 'id="new-version-note"' not in plain  # only when the client came to add one


def test_over_frame_plan_needs_the_own_share_confirmed(
    client: TestClient, demo: None, session: Session
) -> None:
    offer = _an_offer(session, "client-sv")
    login_as(client, "client-sv")
    assert form_post(client, "/oma/budjetti/takaisin", {"version": "1"}).status_code == 303
    line = {"offer_id": offer.id, "quantity": "1000", "repeats": "1"}
    assert form_post(client, "/oma/budjetti/rivit", line).status_code == 303
    erik = _persona(session, "client-sv")
    budget = session.exec(select(Budget).where(Budget.client_id == erik.id)).one()
    own_share = plan.pending_own_share(session, budget)
    session.commit()
    assert own_share > 0
    step = form_post(client, "/oma/budjetti/laheta", {"version": "1", "note": "Hej"})
    assert step.status_code == 200 and _status(session, "client-sv") == PlanStatus.draft
    assert f'name="own_share" value="{own_share}"' in step.text
    assert 'name="note" value="Hej"' in step.text  # what the client wrote is kept
    stale = {"version": "1", "note": "Hej", "own_share": str(own_share - 100)}
    refused = form_post(client, "/oma/budjetti/laheta", stale)
    assert refused.status_code == 409 and 'role="alert"' in refused.text
    assert _status(session, "client-sv") == PlanStatus.draft
    accepted = {"version": "1", "note": "Hej", "own_share": str(own_share)}
    assert form_post(client, "/oma/budjetti/laheta", accepted).status_code == 303
    sent = _plan_of(session, "client-sv")
    assert sent.status == PlanStatus.submitted and sent.own_share_cents == own_share
    page = client.get("/oma/budjetti").text
    assert "Du skickade planen med en självriskandel" in page  # Erik reads Swedish
    login_as(client, "case-worker")
    worker_page = client.get(f"/asiakkaat/{erik.id}/budjetti").text
    assert "Du skickade planen" not in worker_page and "Lähetit suunnitelman" not in worker_page
    assert re.search(r"laheta", step.text)
