"""The shipped municipality code list is complete and loads idempotently."""

from sqlmodel import select

from app.demo.county import MUNICIPALITIES
from app.models.organiser import Municipality
from app.services.catalogue.municipalities import load_municipalities, official_list


def test_the_list_is_the_official_one():
    rows = official_list()
    codes = [code for code, _fi, _sv in rows]
    assert len(codes) == len(set(codes)) == 309
    assert all(len(c) == 3 and c.isdigit() for c in codes)
    names = {code: (fi, sv) for code, fi, sv in rows}
    assert names["091"] == ("Helsinki", "Helsingfors")
    assert names["853"] == ("Turku", "Åbo")
    assert names["545"] == ("Närpiö", "Närpes")
    for code, fi, sv in MUNICIPALITIES:  # the demo county's area agrees with the list
        assert names[code] == (fi, sv)


def test_loading_is_idempotent(session):
    assert load_municipalities(session) == 309
    session.commit()
    assert load_municipalities(session) == 0
    assert len(session.exec(select(Municipality)).all()) == 309
