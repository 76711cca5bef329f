"""The catalogue end to end: outbox after commit, approval rules, fallback, pages, API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.models.offer import OfferStatus
from app.models.provider import ApprovalStatus, ProviderApproval
from app.models.search import SearchDocument, SearchOutbox
from app.services import search
from app.services.catalogue import browse, listings
from app.services.search import SearchQuery, SearchUnavailable
from tests.catalogue import factories as f


@pytest.fixture
def world(session):
    org = f.organiser(session)
    cat = f.category(session, org)
    prov = f.provider(session, org)
    o1 = f.offer(session, prov, cat, "Kotisiivous", 3500)
    o2 = f.offer(session, prov, cat, "Ikkunanpesu", 9000, delivery_modes=["provider"])
    draft = f.offer(session, prov, cat, "Luonnos siivous", status=OfferStatus.draft)
    session.commit()
    return {"org": org, "cat": cat, "prov": prov, "o1": o1, "o2": o2, "draft": draft}


def found(session, q="", **kw) -> list[int]:
    return [h.offer_id for h in browse.search(session, SearchQuery(q=q, **kw)).hits]


def test_outbox_is_processed_after_commit(session, world):
    assert session.exec(select(SearchOutbox)).all() == []
    ids = {d.offer_id for d in session.exec(select(SearchDocument)).all()}
    assert ids == {world["o1"].id, world["o2"].id}
    assert found(session, "siivous") == [world["o1"].id]


def test_uncommitted_changes_do_not_reach_the_index(session, world):
    f.offer(session, world["prov"], world["cat"], "Peruttu palvelu")
    session.rollback()
    assert found(session, "peruttu") == []


def test_suspension_removes_offers_immediately(session, world):
    approval = session.exec(select(ProviderApproval)).one()
    listings.decide(session, None, approval, ApprovalStatus.suspended, reason="Vakuutus")
    session.commit()
    assert found(session) == []
    listings.decide(session, None, approval, ApprovalStatus.approved)
    session.commit()
    assert sorted(found(session)) == sorted([world["o1"].id, world["o2"].id])


def test_pending_provider_is_not_listed(session, world):
    other = f.provider(session, world["org"], "Odottava Oy", approved=False)
    f.offer(session, other, world["cat"], "Odottava palvelu")
    session.commit()
    assert found(session, "odottava") == []


def test_approval_is_per_organiser(session, world):
    other_org = f.organiser(session, "org-b")
    other_cat = f.category(session, other_org)
    f.offer(session, world["prov"], other_cat, "Toisen alueen palvelu")
    session.commit()
    assert found(session, "alueen") == []
    assert found(session, organiser_id=world["org"].id) != []


def test_expired_offer_disappears_without_reindex(session, world):
    o = world["o1"]
    data = listings.OfferInput(
        title=o.title,
        category_id=o.category_id,
        unit=o.unit,
        unit_price_cents=o.unit_price_cents,
        valid_to=date.today() - timedelta(days=1),
        status=OfferStatus.published,
    )
    listings.save_offer(session, None, o.provider_id, data, o)
    session.commit()
    assert found(session, "kotisiivous") == []


def test_price_history_on_every_change(session, world):
    o = world["o1"]
    for price in (3600, 3600, 3800):
        data = listings.OfferInput(
            title=o.title,
            category_id=o.category_id,
            unit=o.unit,
            unit_price_cents=price,
            status=OfferStatus.published,
        )
        listings.save_offer(session, None, o.provider_id, data, o)
    session.commit()
    assert [p.unit_price_cents for p in listings.price_history(session, o.id)] == [
        3500,
        3600,
        3800,
    ]
    hit = browse.search(session, SearchQuery(q="kotisiivous")).hits[0]
    assert hit.price_cents == 3800


def test_engine_failure_falls_back_to_the_database(session, world, monkeypatch):
    def broken(*_a, **_k):
        raise SearchUnavailable("down")

    monkeypatch.setattr(search.embedded.EmbeddedEngine, "search", broken)
    result = browse.search(session, SearchQuery(q="siivous"))
    assert result.degraded
    assert [h.offer_id for h in result.hits] == [world["o1"].id]
    assert result.facets["delivery"] == {"home": 1}


def test_failed_indexing_keeps_the_outbox_rows_and_reindex_rebuilds(
    session, world, engine, monkeypatch
):
    def broken(*_a, **_k):
        raise SearchUnavailable("down")

    monkeypatch.setattr(search.embedded.EmbeddedEngine, "index", broken)
    f.offer(session, world["prov"], world["cat"], "Uusi hieronta")
    session.commit()
    assert len(session.exec(select(SearchOutbox)).all()) == 1
    monkeypatch.undo()
    session.rollback()  # SQLite: release the test session's write lock
    assert search.reindex(engine) == 3
    assert session.exec(select(SearchOutbox)).all() == []
    assert len(found(session, "hieronta")) == 1


def test_business_id_checksum():
    assert listings.business_id_valid("0000001-9")
    assert listings.business_id_valid("1572860-0")
    assert not listings.business_id_valid("1572860-1")
    assert not listings.business_id_valid("15728600")
    assert not listings.business_id_valid("abcdefg-h")


def test_descriptions_are_sanitised():
    assert listings.sanitise('<p>Hei<script>alert(1)</script></p><a href="x">linkki</a>') == (
        "<p>Hei</p>linkki"
    )
    assert "onerror" not in listings.sanitise('<img src=x onerror="alert(1)">')
