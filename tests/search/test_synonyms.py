"""The organiser admin's synonym groups: kept per organiser, applied to that organiser's
searches at once (and taken away with the group), checked like any other form."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.errors import NotFound
from app.models.actor import Actor
from app.models.audit import AuditEvent
from app.models.search import SearchSynonym
from app.models.user import Membership, Role, User
from app.services.catalogue import browse, synonyms
from app.services.search import SearchQuery
from tests.catalogue import factories as f
from tests.support.web import form_post, login_as


def _admin(s: Session, persona: str, organiser_id: int) -> User:
    user = User(display_name=persona, dev_persona=persona)
    s.add(user)
    s.flush()
    s.add(Membership(user_id=user.id, role=Role.admin, organiser_id=organiser_id))
    s.flush()
    return user


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        org = f.organiser(s)
        other = f.organiser(s, "org-b")
        cat = f.category(s, org)
        other_cat = f.category(s, other, "other-help")
        prov = f.provider(s, org)
        f.provider(s, other, "Toinen Oy")
        clean = f.offer(s, prov, cat, "Kotisiivous", 3500)
        f.offer(s, prov, cat, "Ikkunanpesu", 9000)
        admin = _admin(s, "syn-admin", org.id)
        other_admin = _admin(s, "syn-other-admin", other.id)
        s.commit()
        return {
            "org": org,
            "other": other,
            "cat": cat,
            "other_cat": other_cat,
            "clean": clean,
            "admin": admin,
            "other_admin": other_admin,
        }


def actor_of(s: Session, user: User) -> Actor:
    memberships = list(s.exec(select(Membership).where(Membership.user_id == user.id)))
    return Actor(user=user, memberships=tuple(memberships))


def found(s: Session, q: str, organiser_id: int | None) -> list[int]:
    query = SearchQuery(q=q, organiser_id=organiser_id)
    return [h.offer_id for h in browse.search(s, query).hits]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("siivooja, Puhtaanapito ,siivooja", ["siivooja", "puhtaanapito"]),
        ("kauppa-apu\nostosapu; ", ["kauppa-apu", "ostosapu"]),
        ("", []),
    ],
)
def test_words_are_read_one_by_one_lower_case_each_once(text, words):
    assert synonyms.parse_words(text) == words


@pytest.mark.parametrize("text", ["kodin siivous", "siivous!", "a" * 41, "-siivous"])
def test_a_phrase_or_odd_characters_are_refused(text):
    with pytest.raises(synonyms.NotOneWord):
        synonyms.parse_words(text)


def test_a_group_applies_to_its_organisers_searches_until_removed(engine, world):
    with Session(engine, expire_on_commit=False) as s:
        org, other = world["org"].id, world["other"].id
        assert found(s, "puhtaanapito", org) == []
        admin = actor_of(s, world["admin"])
        group = synonyms.save(s, admin, "puhtaanapito, siivous", "renhållning")
        s.commit()
        assert found(s, "puhtaanapito", org) == [world["clean"].id]
        assert found(s, "renhållningen", org) == [world["clean"].id]  # inflected forms too
        # Another organiser's clients: its groups only (the offer is not its either, so the
        # search for all organisers shows the group applies there).
        assert found(s, "puhtaanapito", other) == []
        assert found(s, "puhtaanapito", None) == [world["clean"].id]
        synonyms.remove(s, admin, group.id or 0)
        s.commit()
        assert found(s, "puhtaanapito", org) == []


def test_a_change_by_another_process_is_seen_without_restart(engine, world):
    with Session(engine, expire_on_commit=False) as s:
        admin = actor_of(s, world["admin"])
        group = synonyms.save(s, admin, "puhtaanapito, siivous", "")
        s.commit()
        assert found(s, "puhtaanapito", world["org"].id) == [world["clean"].id]
    # Written straight to the table, as another process would: the version moves.
    with Session(engine, expire_on_commit=False) as s:
        row = s.get(SearchSynonym, group.id)
        row.words_fi = ["siivoustyö", "siivous"]
        s.add(row)
        s.commit()
        assert found(s, "puhtaanapito", world["org"].id) == []
        assert found(s, "siivoustyö", world["org"].id) == [world["clean"].id]


def test_the_rules_of_a_group(engine, world):
    with Session(engine, expire_on_commit=False) as s:
        admin = actor_of(s, world["admin"])
        with pytest.raises(synonyms.TooFewWords):
            synonyms.save(s, admin, "siivous", "")
        with pytest.raises(synonyms.TooFewWords):
            synonyms.save(s, admin, "siivous, siivous", "")
        with pytest.raises(synonyms.TooManyWords):
            synonyms.save(s, admin, ", ".join(f"sana{n}" for n in range(31)), "")
        with pytest.raises(synonyms.UnknownCategory):  # another organiser's category
            synonyms.save(s, admin, "a1, b2", "", category_id=world["other_cat"].id)
        group = synonyms.save(s, admin, "a1, b2", "", category_id=world["cat"].id)
        s.commit()
        other_admin = actor_of(s, world["other_admin"])
        with pytest.raises(NotFound):
            synonyms.group_for(s, other_admin, group.id or 0)
        with pytest.raises(NotFound):
            synonyms.save(s, other_admin, "c3, d4", "", group_id=group.id)
        with pytest.raises(NotFound):
            synonyms.remove(s, other_admin, group.id or 0)
        assert [r.group.id for r in synonyms.groups_for(s, other_admin)] == []
        assert [r.group.id for r in synonyms.groups_for(s, admin)] == [group.id]


def test_the_admin_page_adds_changes_and_removes_a_group(engine, client, world):
    login_as(client, "syn-admin")
    page = client.get("/hallinto/hakusanat")
    assert page.status_code == 200
    bad = form_post(
        client,
        "/hallinto/hakusanat",
        {"words_fi": "kodin siivous", "words_sv": "städning", "category_id": ""},
    )
    assert bad.status_code == 422
    assert "kodin siivous" in bad.text  # nothing typed is lost
    assert 'aria-invalid="true"' in bad.text
    bad_sv = form_post(
        client, "/hallinto/hakusanat", {"words_fi": "siivous, siivooja", "words_sv": "i hemmet"}
    )
    assert bad_sv.status_code == 422
    assert 'id="f-words_sv-error"' in bad_sv.text
    assert "siivous, siivooja" in bad_sv.text
    ok = form_post(
        client,
        "/hallinto/hakusanat",
        {
            "words_fi": "puhtaanapito, siivous",
            "words_sv": "renhållning",
            "category_id": str(world["cat"].id),
        },
    )
    assert ok.status_code == 303
    with Session(engine) as s:
        group = s.exec(select(SearchSynonym)).one()
        assert group.words_fi == ["puhtaanapito", "siivous"]
        assert group.category_id == world["cat"].id
        assert group.updated_by == world["admin"].id
        assert s.exec(select(AuditEvent).where(AuditEvent.record_type == "search_synonym")).first()
    listing = client.get("/hallinto/hakusanat")
    assert "puhtaanapito, siivous" in listing.text
    edit = client.get(f"/hallinto/hakusanat/{group.id}")
    assert "puhtaanapito, siivous" in edit.text
    changed = form_post(
        client, f"/hallinto/hakusanat/{group.id}", {"words_fi": "siivous, siivooja"}
    )
    assert changed.status_code == 303
    with Session(engine) as s:
        assert s.get(SearchSynonym, group.id).words_fi == ["siivous", "siivooja"]
        assert s.get(SearchSynonym, group.id).category_id is None
    gone = form_post(client, f"/hallinto/hakusanat/{group.id}/poista")
    assert gone.status_code == 303
    with Session(engine) as s:
        assert s.exec(select(SearchSynonym)).all() == []


def test_another_organisers_admin_and_other_roles_cannot_touch_a_group(engine, client, world):
    with Session(engine, expire_on_commit=False) as s:
        group = synonyms.save(s, actor_of(s, world["admin"]), "a1, b2", "")
        s.commit()
    login_as(client, "syn-other-admin")
    assert client.get(f"/hallinto/hakusanat/{group.id}").status_code == 404
    changed = form_post(client, f"/hallinto/hakusanat/{group.id}", {"words_fi": "c3, d4"})
    assert changed.status_code == 404
    assert form_post(client, f"/hallinto/hakusanat/{group.id}/poista").status_code == 404
    assert "a1, b2" not in client.get("/hallinto/hakusanat").text
    with Session(engine) as s:
        assert s.get(SearchSynonym, group.id).words_fi == ["a1", "b2"]


def test_meilisearch_gets_the_built_in_and_the_stored_groups_as_one_list():
    from app.services.search.meili import synonyms as meili_synonyms

    merged = meili_synonyms((("puhtaanapito", "siivous"),))
    assert "siivous" in merged["puhtaanapito"]
    assert "puhtaanapito" in merged["siivous"]
    assert "städning" in merged["siivous"]  # the built-in group of "siivous" is kept
    assert len(merged["siivous"]) == len(set(merged["siivous"]))  # each word once
