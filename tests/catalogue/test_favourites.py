"""Favourites: a client's shortlist, shared with an assistant acting under a live mandate
(service on SQLite and PostgreSQL, then the routes: forms with CSRF, another client's 404)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.errors import Forbidden, NotFound
from app.models.actor import MandateScope
from app.models.audit import AuditAction, AuditEvent, AuditPurpose
from app.models.favourite import Favourite
from app.models.mandate import Mandate
from app.models.offer import OfferStatus
from app.models.user import Membership, Role, User
from app.services.catalogue import browse, favourites
from app.services.identity.mandates import acting_actor
from app.services.identity.users import load_actor
from tests.catalogue import factories as f
from tests.support.web import csrf_token, login_as

TODAY = date.today()


def _person(s: Session, name: str, role: Role, org_id: int) -> User:
    user = User(display_name=name, dev_persona=f"fav-{name.lower()}")
    s.add(user)
    s.flush()
    s.add(Membership(user_id=user.id, role=role, organiser_id=org_id, municipality_code="179"))
    s.flush()
    return user


@pytest.fixture
def world(engine: Any) -> dict[str, Any]:
    with Session(engine, expire_on_commit=False) as s:
        org = f.organiser(s)
        cat = f.category(s, org)
        prov = f.provider(s, org)
        first = f.offer(s, prov, cat, "Kotisiivous", 3500, capacity_note={"fi": "Heti"})
        second = f.offer(s, prov, cat, "Ikkunanpesu", 9000, areas=["182"])
        draft = f.offer(s, prov, cat, "Luonnos", 1000, status=OfferStatus.draft)
        aino = _person(s, "Aino", Role.client, org.id)  # type: ignore[arg-type]
        eero = _person(s, "Eero", Role.client, org.id)  # type: ignore[arg-type]
        assistant = _person(s, "Avustaja", Role.assistant, org.id)  # type: ignore[arg-type]
        mandate = Mandate(
            client_user_id=aino.id,  # type: ignore[arg-type]
            assistant_user_id=assistant.id,  # type: ignore[arg-type]
            scopes=[sc.value for sc in MandateScope],
            valid_until=TODAY + timedelta(days=30),
            created_by_id=aino.id,  # type: ignore[arg-type]
        )
        s.add(mandate)
        s.commit()
        return {
            "offers": [first.id, second.id],
            "draft": draft.id,
            "aino": aino.id,
            "eero": eero.id,
            "assistant": assistant.id,
            "mandate": mandate.id,
        }


def _actor(s: Session, user_id: int, mandate_id: int | None = None) -> Any:
    actor = load_actor(s, user_id)
    assert actor is not None
    if mandate_id is not None:
        mandate = s.get(Mandate, mandate_id)
        assert mandate is not None
        actor = acting_actor(s, actor, mandate)
    return actor


def _audit(s: Session) -> list[AuditEvent]:
    return list(
        s.exec(
            select(AuditEvent)
            .where(AuditEvent.category == "favourite")
            .order_by(col(AuditEvent.id))
        ).all()
    )


def test_add_and_remove_are_idempotent_and_audited(session: Session, world: dict) -> None:
    aino = _actor(session, world["aino"])
    one, two = world["offers"]
    fav = favourites.add(session, aino, one, TODAY)
    assert favourites.add(session, aino, one, TODAY).id == fav.id  # a second add: the same row
    favourites.add(session, aino, two, TODAY)
    session.commit()
    assert set(favourites.favourite_ids(session, aino)) == {one, two}
    assert [i.offer.id for i in favourites.shortlist(session, aino)] == [two, one]
    favourites.remove(session, aino, fav.id)  # type: ignore[arg-type]
    favourites.remove(session, aino, fav.id)  # type: ignore[arg-type]  # twice: nothing more
    session.commit()
    assert set(favourites.favourite_ids(session, aino)) == {two}
    again = favourites.add(session, aino, one, TODAY)
    session.commit()
    assert again.id == fav.id and one in favourites.favourite_ids(session, aino)
    actions = [(e.action, e.record_id) for e in _audit(session)]
    assert actions == [
        (AuditAction.create, str(one)),
        (AuditAction.create, str(two)),
        (AuditAction.delete, str(one)),
        (AuditAction.create, str(one)),
    ]
    rows = session.exec(select(Favourite).where(Favourite.client_id == world["aino"])).all()
    assert len(rows) == 2


def test_the_assistant_acts_for_the_client_under_a_live_mandate(
    session: Session, world: dict
) -> None:
    helper = _actor(session, world["assistant"], world["mandate"])
    one = world["offers"][0]
    fav = favourites.add(session, helper, one, TODAY)
    session.commit()
    assert fav.client_id == world["aino"] and fav.added_by_id == world["assistant"]
    aino = _actor(session, world["aino"])
    assert list(favourites.favourite_ids(session, aino)) == [one]  # the client sees it
    (event,) = _audit(session)
    assert event.actor_id == world["assistant"] and event.on_behalf_of_id == world["aino"]
    assert event.subject_id == world["aino"] and event.purpose == AuditPurpose.mandate
    # Not acting for anyone, the assistant has no shortlist of their own to change.
    alone = _actor(session, world["assistant"])
    with pytest.raises(Forbidden):
        favourites.add(session, alone, one, TODAY)
    assert favourites.favourite_ids(session, alone) == {}


def test_another_clients_favourite_and_unlisted_offers_are_not_found(
    session: Session, world: dict
) -> None:
    aino, eero = _actor(session, world["aino"]), _actor(session, world["eero"])
    fav = favourites.add(session, aino, world["offers"][0], TODAY)
    session.commit()
    with pytest.raises(NotFound):
        favourites.remove(session, eero, fav.id)  # type: ignore[arg-type]
    assert favourites.shortlist(session, eero) == []
    with pytest.raises(NotFound):
        favourites.add(session, aino, world["draft"], TODAY)
    assert world["offers"][0] in favourites.favourite_ids(session, aino)


def test_an_offer_that_left_the_catalogue_stays_marked(session: Session, world: dict) -> None:
    aino = _actor(session, world["aino"])
    one = world["offers"][0]
    favourites.add(session, aino, one, TODAY)
    session.commit()
    from app.models.offer import Offer

    offer = session.get(Offer, one)
    assert offer is not None
    offer.status = OfferStatus.archived
    session.add(offer)
    session.commit()
    (item,) = favourites.shortlist(session, aino)
    assert item.offer.id == one and item.view is None


def _post(client: TestClient, url: str, data: dict[str, str] | None = None) -> Any:
    return client.post(url, data={"csrftoken": csrf_token(client), **(data or {})})


def test_routes_add_list_remove_and_refuse_others(client: TestClient, world: dict) -> None:
    one, two = world["offers"]
    assert client.get("/oma/suosikit").status_code == 303  # log in first
    login_as(client, "fav-aino")
    offer_page = client.get(f"/palvelut/{one}", headers={"Accept-Language": "en"}).text
    assert (
        f'action="/oma/suosikit/palvelu/{one}"' in offer_page and "Add to favourites" in offer_page
    )
    # Without a CSRF token the post is refused.
    assert client.post(f"/oma/suosikit/palvelu/{one}", data={}).status_code == 403
    added = _post(client, f"/oma/suosikit/palvelu/{one}", {"next": f"/palvelut/{one}"})
    assert added.status_code == 303 and added.headers["location"] == f"/palvelut/{one}"
    assert (
        _post(client, f"/oma/suosikit/palvelu/{two}", {"next": "https://evil.example"}).headers[
            "location"
        ]
        == "/oma/suosikit"
    )
    page = client.get("/oma/suosikit", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Kotisiivous" in page.text and "Ikkunanpesu" in page.text
    assert "Heti" in page.text  # the waiting time
    again = client.get(f"/palvelut/{one}", headers={"Accept-Language": "en"}).text
    assert "Remove from favourites" in again and "/poista" in again
    assert _post(client, f"/oma/suosikit/palvelu/{world['draft']}").status_code == 404
    with Session(client.app.state.engine) as s:  # type: ignore[attr-defined]
        fav_id = s.exec(select(Favourite.id).where(Favourite.offer_id == one)).one()
    login_as(client, "fav-eero")
    assert _post(client, f"/oma/suosikit/{fav_id}/poista").status_code == 404
    assert "Kotisiivous" not in client.get("/oma/suosikit").text
    login_as(client, "fav-aino")
    assert _post(client, f"/oma/suosikit/{fav_id}/poista").status_code == 303
    assert _post(client, f"/oma/suosikit/{fav_id}/poista").status_code == 303  # again: fine
    assert "Kotisiivous" not in client.get("/oma/suosikit").text


def test_search_results_post_favourites_from_outside_the_compare_form(
    client: TestClient, world: dict
) -> None:
    login_as(client, "fav-aino")
    html = client.get("/palvelut?q=kotisiivous", headers={"Accept-Language": "en"}).text
    one = world["offers"][0]
    compare_form = html.split('class="compare-form"', 1)[1].split("</form>", 1)[0]
    assert f'form="fav-{one}"' in compare_form and f'id="fav-{one}"' not in compare_form
    assert f'id="fav-{one}"' in html.split('class="compare-form"', 1)[1]


def test_compare_marks_what_differs(session: Session, world: dict, client: TestClient) -> None:
    one, two = world["offers"]
    views = browse.compare(session, [one, two])
    assert {"price", "monthly", "areas", "waiting"} <= browse.differences(views)
    assert "provider" not in browse.differences(views) and not browse.differences(views[:1])
    login_as(client, "fav-aino")
    page = client.get(
        f"/palvelut/vertaa?offer={one}&offer={two}", headers={"Accept-Language": "fi"}
    )
    text = page.text
    assert page.status_code == 200 and text.count("eroaa") >= 4
    assert f"/oma/budjetti?palvelu={one}" in text and f"/oma/budjetti?palvelu={two}" in text
    anonymous = TestClient(client.app)
    assert "/oma/budjetti?palvelu=" not in anonymous.get(f"/palvelut/vertaa?offer={one}").text
