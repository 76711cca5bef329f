"""What a client (or their case worker) sees after an assessment: plain-word results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.models.assessment import Assessment
from app.services.assessment import assessments, instruments, scoring, suggestions
from app.services.assessment.instruments import Instrument, Item, pick


@dataclass(frozen=True)
class DomainRow:
    number: int
    title: str
    score: float | None
    band: str
    baseline: float | None
    change: str


@dataclass(frozen=True)
class AnswerRow:
    section: str
    section_index: int
    question: str
    answer: str
    skipped: bool


@dataclass
class Results:
    assessment: Assessment
    instrument: Instrument
    title: str
    rows: list[DomainRow] = field(default_factory=list)
    radar: scoring.Radar | None = None
    baseline_at: datetime | None = None
    answers: list[AnswerRow] = field(default_factory=list)
    suggestions: list[suggestions.Suggestion] = field(default_factory=list)
    wants_assistant: bool = False

    @property
    def strengths(self) -> list[DomainRow]:
        return [r for r in self.rows if r.band == "strength"]

    @property
    def work_on(self) -> list[DomainRow]:
        return [r for r in self.rows if r.band == "work_on"]


def answer_text(item: Item, value: Any, locale: str) -> str:
    if value is None:
        return ""
    if item.type == "scale10":
        return f"{value} / 10"
    if item.type == "text":
        return str(value)
    labels = {o.value: pick(o.label, locale) for o in item.options}
    values = value if isinstance(value, list) else [value]
    return ", ".join(labels.get(v, str(v)) for v in values)


def answer_rows(instrument: Instrument, assessment: Assessment, locale: str) -> list[AnswerRow]:
    rows = []
    for index, section in enumerate(instrument.visible_sections(assessment.answers), start=1):
        for item in section.items:
            rows.append(
                AnswerRow(
                    section=pick(section.title, locale),
                    section_index=index,
                    question=pick(item.text, locale),
                    answer=answer_text(item, assessment.answers.get(item.id), locale),
                    skipped=item.id in assessment.skipped,
                )
            )
    return rows


def build(session: Session, assessment: Assessment, locale: str) -> Results:
    instrument = assessments.instrument_of(assessment)
    result = Results(
        assessment=assessment,
        instrument=instrument,
        title=pick(instrument.title, locale),
        answers=answer_rows(instrument, assessment, locale),
    )
    # The experience survey is scored for the reports; the client sees their answers.
    if instrument.domains and instrument.kind != "experience":
        scores = assessment.scores or scoring.domain_scores(instrument, assessment.answers)
        baseline = assessments.baseline_for(session, assessment)
        before = (baseline.scores or {}) if baseline else {}
        result.baseline_at = baseline.submitted_at if baseline else None
        for number, (domain_id, score) in enumerate(scores.items(), start=1):
            domain = instrument.domain(domain_id)
            result.rows.append(
                DomainRow(
                    number=number,
                    title=pick(domain.title, locale) if domain else domain_id,
                    score=score,
                    band=scoring.band(score),
                    baseline=before.get(domain_id),
                    change=scoring.change(before.get(domain_id), score),
                )
            )
        series = [[r.score for r in result.rows]]
        if baseline:
            series.append([r.baseline for r in result.rows])
        result.radar = scoring.radar(series)
    if instrument.kind == "service-needs":
        profile = assessments.latest_submitted(session, assessment.client_id, "profile")
        lang = suggestions.preferred_language(profile.answers if profile else None, locale)
        result.suggestions = suggestions.suggestions(
            instrument,
            assessment.answers,
            municipality=assessments.client_municipality(session, assessment.client_id),
            lang=lang,
        )
        result.wants_assistant = suggestions.wants_assistant(profile.answers if profile else None)
    if instrument.kind == "profile":
        result.wants_assistant = suggestions.wants_assistant(assessment.answers)
    return result


def category_names(session: Session, slugs: list[str], locale: str) -> dict[str, str]:
    """Catalogue category names by slug (any organiser's; the slugs are shared)."""
    from sqlmodel import col, select

    from app.models.organiser import Category

    rows = session.exec(select(Category).where(col(Category.slug).in_(slugs))).all()
    names: dict[str, str] = {}
    for row in rows:
        names.setdefault(row.slug, pick(row.name, locale))
    return names


def instrument_cards(
    session: Session, client_id: int, drafts: list[Assessment], locale: str
) -> list[dict[str, Any]]:
    cards = []
    for key in instruments.instrument_keys():
        instrument = instruments.latest(key)
        assert instrument is not None
        draft = next((a for a in drafts if a.instrument_key == key), None)
        cards.append(
            {
                "key": key,
                "title": pick(instrument.title, locale),
                "intro": pick(instrument.intro, locale),
                "minutes": instrument.minutes,
                "draft": draft,
                "last": assessments.latest_submitted(session, client_id, key),
            }
        )
    return cards
