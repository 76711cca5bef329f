"""Voikko's Finnish morphology in the search keys, and the rule-based analysis without it."""

from __future__ import annotations

import logging
import os
import sys

import pytest

from app.services.search import analysis, voikko

needs_voikko = pytest.mark.skipif(
    not voikko.enabled() and os.environ.get("CI") != "true",
    reason="Voikko (libvoikko1 + voikko-fi) is not installed; `make test` installs it",
)


def _fresh() -> None:
    voikko.analyse.cache_clear()
    analysis.fi_keys.cache_clear()
    analysis.root_keys.cache_clear()
    analysis._root_starts.cache_clear()


@pytest.fixture
def without_voikko(monkeypatch):
    monkeypatch.setenv("HEBU_SEARCH_VOIKKO", "false")
    _fresh()
    yield
    monkeypatch.delenv("HEBU_SEARCH_VOIKKO")
    _fresh()


@needs_voikko
def test_voikko_is_in_force_where_the_tests_run():
    assert voikko.enabled()  # CI installs it: a missing library fails here, not silently


@needs_voikko
@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("siivoukseen", "siivous"),
        ("kuljetuksen", "kuljetus"),
        ("omaishoidon", "omaishoito"),
        ("fysioterapeutille", "fysioterapeutti"),
        ("töihin", "työ"),
        ("avustajan", "avustaja"),
        ("kodin", "koti"),
    ],
)
def test_base_forms_of_inflected_words(word, base):
    assert base in voikko.base_forms(word)
    # ... and the word meets its base form on a shared key.
    assert analysis.fi_keys(word) & analysis.fi_keys(base)


@needs_voikko
@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("kotisiivous", ["koti", "siivous"]),
        ("omaishoidon", ["omainen", "hoito"]),
        ("ratsastusterapia", ["ratsastus", "terapia"]),
        ("mielenterveyskuntoutukseen", ["mieli", "terveys", "kuntoutus"]),
        ("lapsenvahti", ["lapsi", "vahti"]),
    ],
)
def test_compound_parts(word, parts):
    assert voikko.compound_parts(word) == parts


@needs_voikko
@pytest.mark.parametrize("word", ["jyväskylä", "siivous", "kuljetus", "hemstädning"])
def test_names_and_simple_or_foreign_words_are_not_split(word):
    assert voikko.compound_parts(word) == []


@needs_voikko
def test_a_voikko_split_needs_a_known_head_as_the_rules_do():
    known = {"siivous"}.__contains__
    assert analysis.split_compound("kotisiivous", known) == ["koti", "siivous"]
    # "korjaamo" is nowhere in the catalogue: no split, so "auto" alone finds nothing.
    assert analysis.split_compound("autokorjaamo", known) == []


def test_without_voikko_the_rules_still_answer(without_voikko):
    assert not voikko.enabled()
    assert voikko.analyse("siivoukseen") == ()
    assert analysis.fi_keys("siivoukseen") & analysis.fi_keys("siivous")
    assert analysis.split_compound("kotisiivous", analysis.is_root) == ["koti", "siivous"]


def test_a_missing_library_is_said_once_in_the_log(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "libvoikko", None)  # import fails
    monkeypatch.setattr(voikko, "_local", type(voikko._local)())
    monkeypatch.setitem(voikko._state, "checked", False)
    _fresh()
    try:
        with caplog.at_level(logging.WARNING, logger="app.services.search.voikko"):
            assert voikko.analyse("kodin") == ()
            assert voikko.analyse("siivoukseen") == ()
        warnings = [r for r in caplog.records if "Voikko is not available" in r.getMessage()]
        assert len(warnings) == 1
        assert analysis.fi_keys("kodin") & analysis.fi_keys("koti")  # the rules answer
    finally:
        monkeypatch.undo()
        _fresh()
