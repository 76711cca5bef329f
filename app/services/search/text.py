"""Text handling shared by the search engines: normalising, words, stems, edit distance.

Letters are lower-cased but never folded: ä, ö and å stay distinct from a and o.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MIN_STEM = 4


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def words(text: str) -> list[str]:
    return _WORD_RE.findall(normalise(text))


@lru_cache(maxsize=4)
def _stemmer(language: str) -> snowballstemmer.stemmer:  # type: ignore[name-defined]
    return snowballstemmer.stemmer({"fi": "finnish", "sv": "swedish"}.get(language, "english"))


@lru_cache(maxsize=50_000)
def stem(word: str, language: str) -> str:
    return str(_stemmer(language).stemWord(word))


def stems_for(text: str, language: str) -> list[str]:
    if language not in ("fi", "sv"):
        return words(text)
    return [stem(w, language) for w in words(text)]


def query_stems(word: str) -> set[str]:
    """A query word's stems in both languages, long enough to be meaningful."""
    found = {stem(word, "fi"), stem(word, "sv")}
    return {s for s in found if len(s) >= MIN_STEM and s != word}


def max_typos(word: str) -> int:
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance; returns limit + 1 as soon as it is exceeded."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        row_min = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[len(b)]


def like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
