"""The embedded engine's in-process index: what the search tables hold, as sets of slots.

Every live document has a slot; slots up to `ordered` were handed out in (price, offer id)
order, so the cheapest documents of any set are its lowest bits. A changed document gets a new
slot at the end (its old one leaves `alive`) until the next rebuild puts the order back.

`Postings` map a token to its documents: a short `array` of slots, or a bitset (bits.py) once
longer than `threshold` (where the bitset is no bigger than the array). Kinds: the title's and
the body's words as written, the title's and all keys (search_document.stems), the 1-2 letter
starts of naming words (PREFIX facet rows); facets are bitsets per (name, value).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from itertools import accumulate
from typing import Any, NamedTuple

from app.services.search.base import Hit
from app.services.search.bits import from_slots, slots_of, span
from app.services.search.embedded_text import MAX_KEY, PREFIX, TITLE_END

MIN_THRESHOLD = 64
PER_DOC = 200  # below this many candidates, test each document's text instead of postings
MAX_TEXTS = 4096  # remembered sets of documents per (field, kind, written word)


class Entry(NamedTuple):
    """One document: its hit, validity and padded title and body words (" a b ")."""

    hit: Hit
    valid_from: date | None
    valid_to: date | None
    title_text: str
    body_text: str

    @property
    def offer_id(self) -> int:
        return self.hit.offer_id

    @property
    def price_cents(self) -> int:
        return self.hit.price_cents

    @property
    def rating_avg(self) -> float | None:
        return self.hit.rating_avg


def matches(kind: str, word: str, padded: str) -> bool:
    if kind == "exact":
        return f" {word} " in padded
    if kind == "start":
        return f" {word}" in padded
    return word in padded


class Postings:
    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.data: dict[str, array[int] | int] = {}
        self._terms: list[str] | None = None
        self._joined: tuple[str, list[int]] | None = None

    def load(self, lists: dict[str, list[int]]) -> None:
        for token, slots in lists.items():
            self.data[token] = (
                from_slots(slots) if len(slots) > self.threshold else array("i", slots)
            )
        self._terms = self._joined = None

    def add(self, token: str, slot: int) -> None:
        found = self.data.get(token)
        if found is None:
            self.data[token] = array("i", [slot])
            if self._terms is not None:
                insort(self._terms, token)
            self._joined = None
        elif isinstance(found, int):
            self.data[token] = found | 1 << slot
        else:
            found.append(slot)
            if len(found) > self.threshold:
                self.data[token] = from_slots(found)

    def get(self, token: str) -> int:
        found = self.data.get(token)
        if found is None:
            return 0
        return found if isinstance(found, int) else from_slots(found)

    def union(self, tokens: Iterable[str]) -> int:
        bits = 0
        short: list[int] = []
        for token in tokens:
            found = self.data.get(token)
            if found is None:
                continue
            if isinstance(found, int):
                bits |= found
            else:
                short.extend(found)
        return bits | from_slots(short) if short else bits

    @property
    def terms(self) -> list[str]:
        if self._terms is None:
            self._terms = sorted(self.data)
        return self._terms

    def starting(self, start: str) -> list[str]:
        terms = self.terms
        return terms[bisect_left(terms, start) : bisect_left(terms, start + "\U0010ffff")]

    def containing(self, part: str) -> list[str]:
        """The tokens `part` is a substring of: one C-speed scan of all tokens joined."""
        if self._joined is None:
            terms = self.terms
            starts = list(accumulate((len(t) + 1 for t in terms), initial=0))
            self._joined = ("\n".join(terms) + "\n", starts)
        joined, starts = self._joined
        terms, found = self.terms, []
        at = joined.find(part)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            found.append(terms[i])
            at = joined.find(part, starts[i + 1])
        return found


class MemoryIndex:
    def __init__(self, size_hint: int) -> None:
        threshold = max(MIN_THRESHOLD, size_hint // 32)
        self.entries: list[Entry | None] = []
        self.prices = array("q")  # every slot's price, dead ones too (keeps the order)
        self.slot_of: dict[int, int] = {}
        self.alive = 0
        self.ordered = 0
        self.title, self.body = Postings(threshold), Postings(threshold)
        self.title_key, self.key = Postings(threshold), Postings(threshold)
        self.prefix = Postings(threshold)
        self.facets: dict[str, dict[str, int]] = {}
        self.dated: dict[int, tuple[date | None, date | None]] = {}
        self.rated: dict[int, float] = {}
        self.cache: dict[Any, Any] = {}  # filter sets, cleared by any change
        self.texts: dict[tuple[bool, str, str], int] = {}  # kept up to date by `add`

    @property
    def live(self) -> int:
        return len(self.slot_of)

    def _kinds(self) -> tuple[Postings, ...]:
        return (self.title, self.body, self.title_key, self.key, self.prefix)

    @staticmethod
    def _tokens(entry: Entry, stems: str, facets: list[tuple[str, str]]) -> tuple[set[str], ...]:
        title, _marker, rest = stems.partition(TITLE_END)
        title_keys = {k for k in title.split() if len(k) <= MAX_KEY}
        keys = title_keys | {k for k in rest.split() if len(k) <= MAX_KEY}
        starts = {value for name, value in facets if name == PREFIX}
        return (set(entry.title_text.split()), set(entry.body_text.split()), title_keys, keys,
                starts)  # fmt: skip

    def _place(self, entry: Entry, facets: list[tuple[str, str]]) -> int:
        slot = len(self.entries)
        self.entries.append(entry)
        self.prices.append(entry.price_cents)
        self.slot_of[entry.offer_id] = slot
        if entry.valid_from is not None or entry.valid_to is not None:
            self.dated[slot] = (entry.valid_from, entry.valid_to)
        if entry.rating_avg is not None:
            self.rated[slot] = entry.rating_avg
        return slot

    def build(self, docs: list[tuple[Entry, str, list[tuple[str, str]]]]) -> None:
        """Fill an empty index with (entry, stems, facet rows) in price order."""
        docs = sorted(docs, key=lambda d: (d[0].price_cents, d[0].offer_id))
        lists = tuple(defaultdict(list) for _kind in self._kinds())
        facet_lists: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
        for entry, stems, facets in docs:
            slot = self._place(entry, facets)
            for target, tokens in zip(lists, self._tokens(entry, stems, facets), strict=True):
                for token in tokens:
                    target[token].append(slot)
            for name, value in facets:
                if name != PREFIX:
                    facet_lists[name, value].append(slot)
        for postings, found in zip(self._kinds(), lists, strict=True):
            postings.load(found)
        for (name, value), slots in facet_lists.items():
            self.facets.setdefault(name, {})[value] = from_slots(slots)
        self.ordered = len(self.entries)
        self.alive = span(0, self.ordered)

    def remove(self, offer_id: int) -> None:
        slot = self.slot_of.pop(offer_id, None)
        if slot is None:
            return
        self.alive &= ~(1 << slot)
        self.entries[slot] = None
        self.dated.pop(slot, None)
        self.rated.pop(slot, None)
        self.cache.clear()

    def add(self, entry: Entry, stems: str, facets: list[tuple[str, str]]) -> None:
        self.remove(entry.offer_id)
        slot = self._place(entry, facets)
        bit = 1 << slot
        self.alive |= bit
        for postings, tokens in zip(self._kinds(), self._tokens(entry, stems, facets), strict=True):
            for token in tokens:
                postings.add(token, slot)
        for name, value in facets:
            if name != PREFIX:
                values = self.facets.setdefault(name, {})
                values[value] = values.get(value, 0) | bit
        self.cache.clear()
        for key, bits in self.texts.items():
            if matches(key[1], key[2], entry.title_text if key[0] else entry.body_text):
                self.texts[key] = bits | bit

    def worn(self) -> bool:
        """Enough slots out of order or dead that a rebuild pays."""
        appended = len(self.entries) - self.ordered
        dead = len(self.entries) - self.live
        return appended > max(500, self.live // 10) or dead > max(1000, self.live // 2)

    def written(self, title: bool, kind: str, word: str, remaining: int | None = None) -> int:
        """Documents whose title (or body) has `word` as a word ("exact"), a word start
        ("start") or inside a word ("inside"); may hold dead slots. From the postings (and
        remembered), or by testing each of the `remaining` documents when they are few."""
        key = (title, kind, word)
        if key in self.texts:
            return self.texts[key]
        if remaining is not None and remaining.bit_count() <= PER_DOC:
            entries = self.entries
            return from_slots(
                s
                for s in slots_of(remaining)
                if (e := entries[s]) and matches(kind, word, e.title_text if title else e.body_text)
            )
        postings = self.title if title else self.body
        if kind == "exact":
            return postings.get(word)
        if kind == "start":
            bits = postings.union(postings.starting(word))
        else:
            bits = postings.union(postings.containing(word))
        if len(self.texts) >= MAX_TEXTS:
            self.texts.clear()
        self.texts[key] = bits
        return bits

    # -- sets for the filters ------------------------------------------------------------
    def facet(self, name: str, values: Iterable[str]) -> int:
        found = self.facets.get(name, {})
        bits = 0
        for value in values:
            bits |= found.get(value, 0)
        return bits

    def valid_on(self, day: date) -> int:
        """Live documents valid on the day (no dates = always)."""
        key = ("valid", day)
        if key not in self.cache:
            dated = from_slots(self.dated)
            valid = [
                slot
                for slot, (start, end) in self.dated.items()
                if (start is None or start <= day) and (end is None or end >= day)
            ]
            self.cache[key] = (self.alive & ~dated) | from_slots(valid)
        return int(self.cache[key])

    def price_between(self, low: int | None, high: int | None) -> int:
        key = ("price", low, high)
        if key not in self.cache:
            prices = self.prices[: self.ordered]
            start = 0 if low is None else bisect_left(prices, low)
            stop = len(prices) if high is None else bisect_right(prices, high)
            tail = [
                slot
                for slot in range(self.ordered, len(self.entries))
                if (entry := self.entries[slot]) is not None
                and (low is None or entry.price_cents >= low)
                and (high is None or entry.price_cents <= high)
            ]
            self.cache[key] = (span(start, stop) | from_slots(tail)) & self.alive
        return int(self.cache[key])

    def rated_at_least(self, minimum: float) -> int:
        key = ("rating", minimum)
        if key not in self.cache:
            self.cache[key] = from_slots(s for s, avg in self.rated.items() if avg >= minimum)
        return int(self.cache[key])

    def rank(self, slot: int) -> tuple[int, int]:
        entry = self.entries[slot]
        assert entry is not None
        return entry.price_cents, entry.offer_id
