"""Goal attainment T-score against hand-computed values; needs -> catalogue links."""

from __future__ import annotations

import pytest

from app.services.assessment import instruments
from app.services.assessment.gas import t_score
from app.services.assessment.suggestions import (
    catalogue_url,
    preferred_language,
    suggestions,
    wants_assistant,
)


@pytest.mark.parametrize(
    ("levels", "weights", "expected"),
    [
        ([0, 0, 0], None, 50.0),  # every goal exactly as expected
        ([2], None, 70.0),  # 50 + 10*2/sqrt(0.7*1 + 0.3*1)
        ([1, -1], None, 50.0),
        ([2, 1, 0], None, 63.7),  # 50 + 30/sqrt(0.7*3 + 0.3*9) = 50 + 30/2.19089
        ([-1, -1, -1, -1], None, 35.5),  # 50 - 40/sqrt(2.8 + 4.8) = 50 - 14.51
        ([1, -2], [3, 1], 52.9),  # 50 + 10*1/sqrt(0.7*10 + 0.3*16) = 50 + 2.911
        ([-1, 2], [2, 1], 50.0),
    ],
)
def test_kiresuk_sherman_t_score(levels, weights, expected):
    assert t_score(levels, weights) == expected


def test_t_score_refuses_nonsense():
    with pytest.raises(ValueError):
        t_score([])
    with pytest.raises(ValueError):
        t_score([3])
    with pytest.raises(ValueError):
        t_score([1, 0], [1])


def test_needs_map_to_catalogue_categories_biggest_first():
    needs = instruments.latest("service-needs")
    assert needs is not None
    answers = {"n_home": "some", "n_transport": "much", "n_therapy": "none", "n_other": "x"}
    found = suggestions(needs, answers, municipality="179", lang="sv")
    assert [s.category for s in found] == ["transport", "home-help"]
    assert found[0].url == "/palvelut?category=transport&municipality=179&lang=sv"
    assert found[1].level == 5


def test_every_need_maps_to_a_known_category():
    needs = instruments.latest("service-needs")
    assert needs is not None
    mapped = {c for item in needs.items_by_id.values() for c in item.categories}
    assert mapped == instruments.CATEGORY_SLUGS


def test_catalogue_link_and_profile_hints():
    assert catalogue_url("aids", None, "xx") == "/palvelut?category=aids"
    assert preferred_language({"language": "sv"}, "fi") == "sv"
    assert preferred_language({"language": "other"}, "fi@selko") == "fi"
    assert preferred_language(None, "en") == "en"
    assert wants_assistant({"assistant": "sometimes"}) and not wants_assistant({"assistant": "no"})
