"""From service needs and the service-use profile to catalogue categories and links (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from app.services.assessment.instruments import Instrument

CATALOGUE_PATH = "/palvelut"
LANGS = ("fi", "sv", "en")


@dataclass(frozen=True)
class Suggestion:
    category: str  # catalogue category slug
    level: float  # how much help: 5 some, 10 a lot
    item_id: str
    url: str


def catalogue_url(category: str, municipality: str | None, lang: str | None) -> str:
    params = {"category": category}
    if municipality:
        params["municipality"] = municipality
    if lang in LANGS:
        params["lang"] = lang  # type: ignore[assignment]
    return f"{CATALOGUE_PATH}?{urlencode(params)}"


def preferred_language(profile_answers: dict[str, Any] | None, fallback: str) -> str:
    """The service language from the profile (fi/sv/en), else the client's UI language."""
    chosen = (profile_answers or {}).get("language")
    if chosen in LANGS:
        return str(chosen)
    base = fallback.split("@", 1)[0]
    return base if base in LANGS else "fi"


def wants_assistant(profile_answers: dict[str, Any] | None) -> bool:
    return (profile_answers or {}).get("assistant") in ("yes", "sometimes")


def suggestions(
    needs: Instrument,
    answers: dict[str, Any],
    *,
    municipality: str | None,
    lang: str,
) -> list[Suggestion]:
    """Categories for every need answered with some or a lot of help, biggest need first."""
    best: dict[str, tuple[float, str]] = {}
    for item in needs.items_by_id.values():
        option = next((o for o in item.options if o.value == answers.get(item.id)), None)
        level = option.score if option and option.score else 0
        if not level:
            continue
        for slug in item.categories:
            if slug not in best or best[slug][0] < level:
                best[slug] = (level, item.id)
    ordered = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [
        Suggestion(slug, level, item_id, catalogue_url(slug, municipality, lang))
        for slug, (level, item_id) in ordered
    ]
