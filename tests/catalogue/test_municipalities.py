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


def test_municipalities_are_read_by_name_or_code(session):
    from app.services.catalogue.municipalities import area_names, parse_areas

    load_municipalities(session)
    areas = parse_areas(session, "Jyväskylä, helsingfors; 853\nPedersören kunta, Koski Tl")
    assert areas.codes == ["179", "091", "853", "599", "284"] and areas.unknown == []
    assert parse_areas(session, "Jyväskylä Muurame").codes == ["179", "500"]
    assert parse_areas(session, "91 179").codes == ["091", "179"]
    wrong = parse_areas(session, "Jyväskylä, Atlantis, 179 999")
    assert wrong.codes == ["179"] and wrong.unknown == ["Atlantis", "999"]
    assert area_names(session, ["853", "091"], "sv") == "Helsingfors, Åbo"
    assert area_names(session, ["853", "091"], "fi") == "Helsinki, Turku"
