"""Instrument definitions: strict loading, complete fi/sv texts, scoring, branching, versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.assessment import instruments, scoring
from app.services.assessment.instruments import CATEGORY_SLUGS, InstrumentError, load_dir, pick

GOOD = """
key: demo
version: 1
kind: life-situation
minutes: 2
title: {fi: "Testi", sv: "Test", en: "Test"}
intro: {fi: "Johdanto", sv: "Inledning", en: "Intro"}
domains:
  - {id: d1, title: {fi: "Alue", sv: "Område", en: "Area"}}
sections:
  - id: s1
    title: {fi: "Osa", sv: "Del", en: "Part"}
    items:
      - id: q1
        type: scale10
        domain: d1
        text: {fi: "Kysymys", sv: "Fråga", en: "Question"}
        low: {fi: "Huono", sv: "Dålig", en: "Poor"}
        high: {fi: "Hyvä", sv: "Bra", en: "Good"}
"""


def _write(tmp_path: Path, text: str, name: str = "demo.v1.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_good_definition_loads(tmp_path: Path):
    found = load_dir(_write(tmp_path, GOOD), CATEGORY_SLUGS)
    assert found[("demo", 1)].items_by_id["q1"].type == "scale10"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("type: scale10", "type: slider"), "item 'q1': unknown type 'slider'"),
        (('sv: "Fråga", ', ""), "item 'q1' text: text in 'sv' is missing"),
        (("domain: d1\n        text", "domain: nope\n        text"), "item 'q1': unknown domain"),
        (("key: demo", "key: [x]"), "instrument: needs a key"),
    ],
)
def test_a_broken_definition_names_the_file_and_the_item(tmp_path: Path, change, message):
    broken = GOOD.replace(*change)
    assert broken != GOOD
    with pytest.raises(InstrumentError) as caught:
        load_dir(_write(tmp_path, broken), CATEGORY_SLUGS)
    assert str(caught.value).startswith("demo.v1.yaml: ")
    assert message in str(caught.value)


def test_unknown_catalogue_category_and_bad_branch_are_refused(tmp_path: Path):
    needs = GOOD.replace(
        "type: scale10\n        domain: d1", "type: scale10\n        categories: [spa]"
    )
    with pytest.raises(InstrumentError, match="item 'q1': unknown catalogue categories"):
        load_dir(_write(tmp_path, needs), CATEGORY_SLUGS)
    branch = (
        GOOD
        + """  - id: s2
    title: {fi: "Osa", sv: "Del", en: "Part"}
    show_if: {item: q1, equals: "12"}
    items:
      - {id: q2, type: text, text: {fi: "K", sv: "F", en: "Q"}}
"""
    )
    with pytest.raises(InstrumentError, match="section 's2': show_if value '12'"):
        load_dir(_write(tmp_path, branch), CATEGORY_SLUGS)


def test_a_broken_file_stops_the_app_at_start(tmp_path: Path, monkeypatch):
    from app.main import create_app

    monkeypatch.setattr(
        instruments, "INSTRUMENT_DIR", _write(tmp_path, "key: x\nversion: 0\n", "x.v0.yaml")
    )
    instruments.registry.cache_clear()
    try:
        with pytest.raises(InstrumentError, match="x.v0.yaml"):
            create_app()
    finally:
        monkeypatch.undo()
        instruments.registry.cache_clear()


def _texts(instrument: instruments.Instrument):
    yield instrument.title
    yield instrument.intro
    for domain in instrument.domains:
        yield domain.title
    for section in instrument.sections:
        yield section.title
        for item in section.items:
            yield item.text
            yield from (o.label for o in item.options)
            yield from (t for t in (item.hint, item.low, item.high) if t)


def test_shipped_instruments_have_complete_finnish_and_swedish():
    registry = instruments.registry()
    assert {k for k, _v in registry} == {"life-situation", "service-needs", "profile", "experience"}
    for instrument in registry.values():
        for texts in _texts(instrument):
            assert texts["fi"].strip() and texts["sv"].strip() and texts["en"].strip()
            assert (
                texts["fi"] != texts["sv"] or texts["fi"] in {"Selkokieli"} or len(texts["fi"]) < 4
            )


def test_life_situation_has_the_domains_and_4_to_6_items_each():
    life = instruments.latest("life-situation")
    assert life is not None
    ids = [d.id for d in life.domains]
    assert ids == [
        "general",
        "participation",
        "mental",
        "everyday",
        "skills",
        "physical",
        "future",
        "parenthood",
    ]
    for domain in ids:
        count = sum(1 for i in life.items_by_id.values() if i.domain == domain)
        assert 4 <= count <= 6, domain


def test_plain_language_text_falls_back_to_finnish():
    life = instruments.latest("life-situation")
    assert life is not None
    g1 = life.items_by_id["g1"]
    assert pick(g1.text, "fi@selko") == "Millaista elämäsi on nyt?"
    assert pick(life.items_by_id["g2"].text, "fi@selko") == life.items_by_id["g2"].text["fi"]
    assert pick(g1.text, "sv") == "Hur bra är ditt liv just nu som helhet?"


def test_scoring_per_domain():
    life = instruments.latest("life-situation")
    assert life is not None
    answers = {
        "has_children": "no",
        "g1": "8",
        "g2": "5",
        "g3": "1",
        "g4": "3",  # 8, 10, 0, 5 -> 5.75 -> 5.8 (rounded)
        "p1": "5",
        "p2": "5",  # 10, 10 -> 10; p3/p4 unanswered do not count
        "m1": "2",  # 2.5
        "c1": "5",  # parenthood hidden without children: not scored
    }
    scores = scoring.domain_scores(life, answers)
    assert scores["general"] == pytest.approx(5.8)
    assert scores["participation"] == 10.0
    assert scores["mental"] == 2.5
    assert scores["everyday"] is None
    assert "parenthood" not in scores
    assert scoring.band(scores["participation"]) == "strength"
    assert scoring.band(scores["mental"]) == "work_on"
    assert scoring.band(scores["general"]) == "middle"
    assert scoring.band(None) == "unknown"


def test_branching_shows_parenthood_only_with_children():
    life = instruments.latest("life-situation")
    assert life is not None
    without = [s.id for s in life.visible_sections({"has_children": "no"})]
    with_children = [s.id for s in life.visible_sections({"has_children": "yes"})]
    assert "parenthood" not in without and without == [
        s for s in with_children if s != "parenthood"
    ]
    assert with_children[-1] == "parenthood"
    scores = scoring.domain_scores(life, {"has_children": "yes", "c1": "4", "c2": "2"})
    assert scores["parenthood"] == 5.0


def test_change_in_words():
    assert scoring.change(4.0, 5.5) == "better"
    assert scoring.change(6.0, 4.0) == "worse"
    assert scoring.change(6.0, 6.5) == "same"
    assert scoring.change(None, 6.5) == "unknown"


def test_radar_geometry():
    chart = scoring.radar([[10, 0, 5, None]], size=200)
    assert len(chart.axes) == 4 and len(chart.rings) == 5
    first = chart.series[0].split()
    assert first[0] == f"100.0,{100 - (100 - 28)}.0"  # full score straight up
    assert first[1] == "100.0,100.0"  # zero at the centre
