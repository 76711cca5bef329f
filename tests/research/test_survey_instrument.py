"""The client experience survey is an instrument like the self-assessments (seed 003 app. 1.1)."""

from __future__ import annotations

from app.services.assessment import instruments, scoring


def test_survey_covers_the_themes_in_three_languages() -> None:
    survey = instruments.latest("experience")
    assert survey is not None and survey.kind == "experience"
    assert [d.id for d in survey.domains] == [
        "heard",
        "trust",
        "information",
        "fit",
        "choice",
        "usefulness",
        "overall",
    ]
    assert instruments.instrument_keys()[-1] == "experience"  # after the self-assessments
    for item in survey.items_by_id.values():
        assert all(item.text[lang] for lang in ("fi", "sv", "en"))


def test_survey_scores_on_the_0_to_10_scale() -> None:
    survey = instruments.latest("experience")
    assert survey is not None
    answers = {"h1": "5", "h2": "4", "t1": "1", "o1": "8", "o2": "Hyvä"}
    scores = scoring.domain_scores(survey, answers)
    assert scores["heard"] == 8.8  # (10 + 7.5) / 2, one decimal
    assert scores["trust"] == 0
    assert scores["overall"] == 8
    assert scores["usefulness"] is None  # skipped by a comparison-group client
