"""What a search result's card says beyond the hit: a line of the description, the area
served, the languages and the delivery modes — read for one page of hits in two statements."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.models.offer import Offer, OfferArea

SNIPPET_CHARS = 140
AREAS_SHOWN = 3
MIN_SENTENCE = 40  # a shorter first sentence says too little: cut at a word instead


@dataclass(frozen=True)
class Card:
    snippet: dict[str, str] = field(default_factory=dict)  # per language
    areas: list[str] = field(default_factory=list)  # municipality codes, sorted
    languages: list[str] = field(default_factory=list)
    delivery_modes: list[str] = field(default_factory=list)

    @property
    def areas_shown(self) -> list[str]:
        return self.areas[:AREAS_SHOWN]

    @property
    def areas_more(self) -> int:
        return max(0, len(self.areas) - AREAS_SHOWN)


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The description's first sentence, or its start cut at a word, at most `limit` chars."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    stop = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if stop >= MIN_SENTENCE:
        return cut[: stop + 1]
    return cut.rsplit(" ", 1)[0].rstrip(",.;:–-") + "…"


def cards(session: Session, offer_ids: list[int]) -> dict[int, Card]:
    if not offer_ids:
        return {}
    rows = session.exec(
        select(Offer.id, Offer.description, Offer.languages, Offer.delivery_modes).where(
            col(Offer.id).in_(offer_ids)
        )
    ).all()
    areas: dict[int, list[str]] = {}
    for offer_id, code in session.exec(
        select(OfferArea.offer_id, OfferArea.municipality_code).where(
            col(OfferArea.offer_id).in_(offer_ids)
        )
    ).all():
        areas.setdefault(offer_id, []).append(code)
    return {
        int(offer_id): Card(
            snippet={k: snippet(v) for k, v in (description or {}).items() if v},
            areas=sorted(areas.get(int(offer_id), [])),
            languages=list(languages or []),
            delivery_modes=list(modes or []),
        )
        for offer_id, description, languages, modes in rows
        if offer_id is not None
    }
