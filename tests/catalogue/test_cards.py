"""A result card shows a line of the description, the area, languages and delivery modes."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models.organiser import Municipality, OrganiserMunicipality
from app.services.catalogue import cards
from tests.catalogue import factories as f

LONG = (
    "Siivoamme kotisi sovitusti viikoittain tai harvemmin. Mukana ovat pyyhinnät, imurointi, "
    "lattioiden pesu ja kylpyhuone, ja tuomme omat välineet ja aineet mukanamme jokaisella "
    "käynnillä."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lyhyt kuvaus.", "Lyhyt kuvaus."),
        ("  Rivit\n  yhdeksi   ", "Rivit yhdeksi"),
        (LONG, "Siivoamme kotisi sovitusti viikoittain tai harvemmin."),
        ("sana " * 60, ("sana " * 28).strip() + "…"),
    ],
)
def test_a_snippet_is_the_first_sentence_or_a_cut_at_a_word(text, expected):
    assert cards.snippet(text) == expected
    assert len(cards.snippet(text)) <= cards.SNIPPET_CHARS + 1


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        org = f.organiser(s)
        for code, fi, sv in (("905", "Vaasa", "Vasa"), ("499", "Mustasaari", "Korsholm")):
            if s.get(Municipality, code) is None:
                s.add(Municipality(code=code, name_fi=fi, name_sv=sv))
            s.flush()
            s.add(OrganiserMunicipality(organiser_id=org.id, municipality_code=code))
        cat = f.category(s, org)
        prov = f.provider(s, org)
        wide = f.offer(
            s, prov, cat, "Kotisiivous", 3500,
            extra_title={"sv": "Hemstädning"},
            description={"fi": LONG, "sv": "Vi städar ditt hem. Med egna redskap."},
            languages=["fi", "sv"], delivery_modes=["home"],
            areas=["179", "182", "499", "905"],
        )  # fmt: skip
        plain = f.offer(s, prov, cat, "Ikkunanpesu", 9000, delivery_modes=["provider", "remote"])
        s.commit()
        return {"wide": wide, "plain": plain}


def test_cards_for_a_page_of_hits(engine, world):
    with Session(engine) as s:
        found = cards.cards(s, [world["wide"].id, world["plain"].id, 999999])
    wide, plain = found[world["wide"].id], found[world["plain"].id]
    assert wide.snippet == {
        "fi": "Siivoamme kotisi sovitusti viikoittain tai harvemmin.",
        "sv": "Vi städar ditt hem. Med egna redskap.",
    }
    assert wide.areas == ["179", "182", "499", "905"]
    assert (wide.areas_shown, wide.areas_more) == (["179", "182", "499"], 1)
    assert wide.languages == ["fi", "sv"]
    assert plain.delivery_modes == ["provider", "remote"]
    assert plain.snippet == {}
    assert 999999 not in found


def test_the_search_page_shows_the_cards_facts_in_the_language_asked(client, world):
    page = client.get("/palvelut?q=kotisiivous", headers={"Accept-Language": "sv"})
    assert page.status_code == 200
    text = page.text
    assert "Vi städar ditt hem. Med egna redskap." in text
    assert "Korsholm" in text and "Mustasaari" not in text.split("result-list", 1)[1]
    assert "och 1 till" in text
    fi = client.get("/palvelut?q=ikkunanpesu", headers={"Accept-Language": "fi"}).text
    card = fi.split("result-list", 1)[1]
    assert "Palveluntuottajan tiloissa, Etänä" in card
