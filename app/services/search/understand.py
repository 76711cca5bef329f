"""Reading a query the way a client means it: filters named in words, stop words, and for each
remaining word the keys, synonyms, compound parts and typo candidates it may match.

"siivous jyväskylässä" is the word "siivous" in municipality 179; "fysioterapi på svenska" is
"fysioterapi" in Swedish. Shared by both engines (`interpret`); `plan_words` is the embedded
engine's plan for the text that remains.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol

from app.services.search.analysis import both_keys, fi_keys, is_root, split_compound, sv_keys
from app.services.search.base import SearchQuery
from app.services.search.lexicon import (
    language_words,
    municipality_names,
    stopwords,
    synonym_groups,
)
from app.services.search.text import stem, words

MAX_QUERY_WORDS = 8
MAX_FUZZY = 12
MIN_SYNONYM_KEY = 4


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, str], dict[str, str]]:
    """(name or Snowball stem -> code, longer crude key -> code) for every municipality."""
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for code, name_fi, name_sv in municipality_names():
        for name, lang in ((name_fi, "fi"), (name_sv, "sv")):
            if " " in name:
                continue
            exact[name] = code
            exact.setdefault(stem(name, lang), code)
            for key in fi_keys(name) if lang == "fi" else sv_keys(name):
                if len(key) >= 5:
                    loose.setdefault(key, code)
    return exact, loose


def place_code(word: str) -> str | None:
    exact, loose = _places()
    if word in exact:
        return exact[word]
    for lang in ("fi", "sv"):
        if stem(word, lang) in exact:
            return exact[stem(word, lang)]
    for key in both_keys(word):
        if key in loose:
            return loose[key]
    return None


def interpret(query: SearchQuery) -> SearchQuery:
    """The query with its language and place words turned into filters and stop words gone."""
    found = words(query.q)[:MAX_QUERY_WORDS]
    languages = list(query.language)
    places = list(query.municipality)
    kept: list[str] = []
    for word in found:
        language = language_words().get(word)
        if language:
            languages.append(language)
            continue
        kept.append(word)
    content = [w for w in kept if w not in stopwords()] or kept
    if len(content) > 1:
        rest = []
        for word in content:
            code = place_code(word)
            if code:
                places.append(code)
            else:
                rest.append(word)
        content = rest or content
    return replace(
        query,
        q=" ".join(content),
        language=list(dict.fromkeys(languages)),
        municipality=list(dict.fromkeys(places)),
    )


@lru_cache(maxsize=16)
def _synonyms(extra: tuple[tuple[str, ...], ...] = ()) -> dict[str, frozenset[str]]:
    """key -> keys of every word of the groups that key belongs to: the built-in groups and
    `extra` (an organiser's stored groups, search/synonym_store.py)."""
    by_key: dict[str, set[str]] = {}
    for group in [*synonym_groups(), *extra]:
        keys = {k for word in group for w in words(word) for k in both_keys(w)}
        keys = {k for k in keys if len(k) >= MIN_SYNONYM_KEY}
        for key in keys:
            by_key.setdefault(key, set()).update(keys)
    return {k: frozenset(v) for k, v in by_key.items()}


@dataclass
class WordPlan:
    word: str
    keys: list[str]
    synonyms: list[str] = field(default_factory=list)
    parts: list[list[str]] = field(default_factory=list)  # keys of each compound part
    typos: list[str] = field(default_factory=list)  # indexed words a typo away
    typo_keys: list[str] = field(default_factory=list)

    widen: list[str] = field(default_factory=list)  # keys a widened search also accepts

    @property
    def head(self) -> list[str]:
        return self.widen


class Vocab(Protocol):
    """What `plan_words` needs to know of the index (vocabulary.Vocabulary)."""

    def knows(self, word: str) -> bool: ...

    def has(self, word: str) -> bool: ...

    def near(self, word: str, limit_count: int) -> list[str]: ...


def _widen(word: str, keys: list[str], split: list[str], vocab: Vocab) -> list[str]:
    """What a compound may match when too little matched it whole: a word the catalogue uses
    (kotisiivous) also its head where the catalogue writes the head alone (siivous, so
    "suursiivous" comes too); a compound the catalogue never uses (kotikäynti), any part."""
    if not split:
        return []
    if vocab.knows(word) or any(vocab.knows(k) for k in keys):
        return sorted(both_keys(split[-1]) | {split[-1]}) if vocab.has(split[-1]) else []
    return sorted({k for part in split for k in both_keys(part) | {part}})


def plan_words(
    q: str, vocab: Vocab, typos: bool = False, extra: tuple[tuple[str, ...], ...] = ()
) -> list[WordPlan]:
    """Each query word's plan; with `typos`, also the indexed words a typo or two away;
    `extra`: synonym groups beside the built-in ones."""
    groups = _synonyms(extra)
    plans = []
    for word in words(q)[:MAX_QUERY_WORDS]:
        keys = sorted(both_keys(word) - {word} if len(word) >= 3 else set())
        synonyms = {s for k in keys + [word] for s in groups.get(k, ())} - set(keys)
        split = split_compound(word, lambda w: is_root(w) or (len(w) >= 4 and vocab.knows(w)))
        parts = [sorted(both_keys(p) | {p}) for p in split]
        near = [t for t in vocab.near(word, MAX_FUZZY) if word not in t] if typos else []
        typo_keys = sorted({k for t in near for k in both_keys(t) if len(k) >= 5} - set(keys))
        plan = WordPlan(word, keys, sorted(synonyms), parts, near, typo_keys)
        plan.widen = _widen(word, keys, split, vocab)
        plans.append(plan)
    return plans
