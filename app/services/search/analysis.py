"""Finnish and Swedish word analysis: the keys a word is indexed and searched under.

A word's keys are the word itself, its Snowball stem normalised further by rules Snowball lacks
(Finnish stem changes such as siivous/siivoukseen, consonant gradation koti/kodin,
hoito/hoidon, -ut-/-eut- derivations; Swedish definite forms hemmet, terapin, -ning nouns), and
the keys of its compound parts (kotisiivous: koti + siivous), split against a root list and the
index's own vocabulary. The same function runs at index and at query time, so inflected forms
meet on a shared key. Where Voikko is installed (voikko.py) a Finnish word's base forms add
their keys and Voikko's compound parts come before the rule-based split; without it the rules
alone answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from app.services.search import voikko
from app.services.search.lexicon import roots
from app.services.search.text import stem

VOWELS = "aeiouyäöå"
_FI_SURFACE: tuple[tuple[re.Pattern[str], str], ...] = (
    # -us/-ys nouns: siivoukseen, kuljetuksen, kuntoutuksia, siivousta -> siivous
    (re.compile(r"([uy])ks[ei]\w*$"), r"\1s"),
    (re.compile(r"(\w{4}[uy])st[aä]$"), r"\1s"),
    (re.compile(r"(\w{4}[uy])(?:den|tt[aä])$"), r"\1s"),
    # työ/töihin, lumityöt/lumitöitä
    (re.compile(r"([tny])öi(?:hin|den|tä|ssä|stä|lle|llä|ltä|ksi|nä|t)?$"), r"\1yö"),
)
# Consonant gradation: both grades of a stem's last consonant cluster map to one form.
_GRADATION = (
    ("kk", "k"), ("pp", "p"), ("tt", "t"), ("nt", "n"), ("nn", "n"), ("lt", "l"), ("ll", "l"),
    ("rt", "r"), ("rr", "r"), ("mp", "m"), ("mm", "m"), ("ng", "nk"), ("d", "t"), ("v", "p"),
)  # fmt: skip
_FI_DERIVED = (("eut", ""), ("aj", ""), ("äj", ""))
_SV_DERIVED = (("ning", ""), ("eut", "i"), ("are", ""))
MIN_PART = 3
MIN_DERIVED = 5  # shorter derived keys conflate unrelated words (saattaja/säätiö)
MIN_HEAD = 4


def _crude_fi(stem_: str) -> str:
    base = stem_.rstrip(VOWELS)
    if len(base) < 3:
        return stem_
    cluster = len(base) - len(base.rstrip("bcdfghjklmnpqrstvwxzšž"))
    tail = base[-cluster:] if cluster else ""
    for weak, strong in _GRADATION:
        if tail.endswith(weak) and (len(tail) == len(weak) or weak in ("d", "v")):
            return base[: len(base) - len(weak)] + strong
    return base


@lru_cache(maxsize=100_000)
def fi_keys(word: str) -> frozenset[str]:
    stemmed = stem(fi_surface(word), "fi")
    found = {_crude_fi(stemmed)}
    for base in voikko.base_forms(word):  # töihin -> työ, omaishoidon -> omaishoito
        key = _crude_fi(stem(fi_surface(base), "fi"))
        if len(key) >= MIN_DERIVED or key == base:  # short keys conflate unrelated words
            found.add(key)
    if word.endswith("inen") and len(word) > 8:
        found.add(_crude_fi(stem(word[:-4], "fi")))
    for key in list(found):
        for suffix, repl in _FI_DERIVED:
            derived = _crude_fi(key[: len(key) - len(suffix)] + repl)
            if key.endswith(suffix) and len(derived) >= MIN_DERIVED:
                found.add(derived)
    return frozenset(k for k in found if len(k) >= 2)


@lru_cache(maxsize=100_000)
def sv_keys(word: str) -> frozenset[str]:
    stemmed = stem(word, "sv")
    found = {stemmed}
    doubled = re.match(r"^(\w*?)(\w)\2(?:et|en|arna|erna)$", word)
    if doubled:
        found.add(doubled.group(1) + doubled.group(2))
    if len(word) > 5 and word[-1] in "nt" and word[-2] in VOWELS:
        found.add(stem(word[:-1], "sv"))
    for key in list(found):
        if key.endswith("s") and len(key) >= 6:
            found.add(key[:-1])
        for suffix, repl in _SV_DERIVED:
            if key.endswith(suffix) and len(key) - len(suffix) >= 3:
                found.add(key[: len(key) - len(suffix)] + repl)
    return frozenset(k for k in found if len(k) >= 2)


def word_keys(word: str, language: str) -> frozenset[str]:
    if language == "fi":
        return fi_keys(word)
    if language == "sv":
        return sv_keys(word)
    return frozenset({word})


def both_keys(word: str) -> frozenset[str]:
    """A query word's keys in both languages (the query's language is not known)."""
    return fi_keys(word) | sv_keys(word)


def split_compound(word: str, known: Callable[[str], bool], finnish: bool = True) -> list[str]:
    """Parts of a compound, head last ([] when not a compound): Voikko's parts of a Finnish
    word where it knows the word; else the longest known head with a prefix of at least
    three letters, the prefix split again the same way."""
    if len(word) < MIN_PART + MIN_PART:
        return []
    if finnish:
        parts = voikko.compound_parts(word)
        if parts and (known(parts[-1]) or parts[-1] in roots()):  # as the rules: a known head
            return parts
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, prefix = word[cut:], word[:cut]
        if not known(head) if len(head) >= MIN_HEAD else head not in roots():
            continue  # a three-letter head only from the root list (apu, työ)
        if len(prefix) < MIN_PART:
            continue
        return (split_compound(prefix, known, finnish=False) or [prefix]) + [head]
    return []


@lru_cache(maxsize=1)
def root_keys() -> frozenset[str]:
    return frozenset(k for word in roots() for k in both_keys(word) if len(k) >= MIN_PART)


@lru_cache(maxsize=1)
def _root_starts() -> frozenset[str]:
    return frozenset(w[:3] for w in roots() | root_keys())


def is_root(word: str) -> bool:
    """A root of the list, also inflected ("siivoukseen" is the root siivous). Words that
    start like no root are refused before any stemming: splitting tries every tail."""
    if word in roots():
        return True
    return word[:3] in _root_starts() and not both_keys(word).isdisjoint(root_keys())


def fi_surface(word: str) -> str:
    for pattern, repl in _FI_SURFACE:
        word = pattern.sub(repl, word)
    return word


def index_keys(
    words: list[str], language: str, known: Callable[[str], bool] = is_root
) -> list[str]:
    """Every key of a text's words in its language, compound parts' keys included."""
    keys: dict[str, None] = {}
    for word in words:
        keys.update(dict.fromkeys(word_keys(word, language)))
        for part in split_compound(word, known, finnish=language == "fi"):
            keys[part] = None
            keys.update(dict.fromkeys(word_keys(part, language)))
    return list(keys)
