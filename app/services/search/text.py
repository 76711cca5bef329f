"""Text handling shared by the search engines: normalising, words, stems, edit distance.

Letters are lower-cased but never folded: ä, ö and å stay distinct from a and o.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer
from rapidfuzz.distance import OSA

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MIN_STEM = 4


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def words(text: str) -> list[str]:
    return _WORD_RE.findall(normalise(text))


_local = threading.local()  # a Snowball stemmer keeps its word in itself: one per thread


def _stemmer(language: str) -> snowballstemmer.stemmer:  # type: ignore[name-defined]
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        name = {"fi": "finnish", "sv": "swedish"}.get(language, "english")
        stemmers[language] = snowballstemmer.stemmer(name)
    return stemmers[language]


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
    """Optimal-string-alignment distance (rapidfuzz, in C); limit + 1 when it is exceeded."""
    return int(OSA.distance(a, b, score_cutoff=limit))


def like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
