"""Answering a query from the in-memory index (memory_index.py) with set operations.

A query word matches a document (`condition`) by its text (a substring of a body word from
three letters, a naming word's start below), a key, a synonym or all its compound parts;
widened (`relaxed`), also by typos and the compound head. Its score (`word_layers`) is the best
tier that applies: title exact 24, title word start 20, title key = the word 19, another title
key 18, inside a title word or all compound parts in the title 14, body word start 12, body key
= the word 11, another body key 10, inside a body word or all parts anywhere 8, a synonym or
typo key in the title 6 and elsewhere 4, the compound head 3 (title) and 2, else 1. Scores add
up over the words; the cheapest first breaks ties. Facet counts are popcounts of each value's
set with the matched set; a filtered facet counts as if its own filter were off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from app.services.search.base import FACETS, Hit, SearchQuery, SearchResult, Sort
from app.services.search.bits import highest, lowest, slots_of
from app.services.search.memory_index import MemoryIndex
from app.services.search.understand import WordPlan


def condition(index: MemoryIndex, plan: WordPlan, relaxed: bool) -> int:
    word = plan.word
    keys = [word, *plan.keys, *plan.synonyms]
    keys += plan.head + plan.typo_keys if relaxed else []
    bits = 0
    if len(word) < 3:
        bits |= index.prefix.get(word)
    else:
        for written in [word, *(plan.typos if relaxed else [])]:
            bits |= index.written(False, "inside", written)
    if len(word) >= 2:
        bits |= index.key.union(keys)
    if len(plan.parts) > 1:
        every = -1
        for part in plan.parts:
            every &= index.key.union(part)
        bits |= every
    return bits


def _text_tier(index: MemoryIndex, word: str, title: bool, kind: str) -> Callable[[int], int]:
    return lambda remaining: index.written(title, kind, word, remaining)


def _parts(index: MemoryIndex, plan: WordPlan, title: bool) -> Callable[[int], int]:
    def bits(_remaining: int) -> int:
        if len(plan.parts) < 2:
            return 0
        every = -1
        for part in plan.parts:
            every &= (index.title_key if title else index.key).union(part)
        return every

    return bits


def word_layers(index: MemoryIndex, plan: WordPlan, matched: int) -> list[tuple[int, int]]:
    """(points, documents) for one word: disjoint layers of the matched set, best first."""
    word = plan.word
    near = plan.synonyms + plan.typo_keys
    every = [word, *plan.keys, *near, *plan.head]
    tk, k = index.title_key, index.key

    def keys(postings: object, values: list[str]) -> Callable[[int], int]:
        return lambda _remaining: postings.union(values)  # type: ignore[attr-defined]

    tiers: list[tuple[int, Callable[[int], int]]] = [
        (24, _text_tier(index, word, True, "exact")),
        (20, _text_tier(index, word, True, "start")),
        (19, keys(tk, [word])),
        (18, keys(tk, plan.keys)),
        (14, _text_tier(index, word, True, "inside")),
        (14, _parts(index, plan, True)),
        (12, _text_tier(index, word, False, "start")),
        (11, keys(k, [word])),
        (10, keys(k, plan.keys)),
        (8, _text_tier(index, word, False, "inside")),
        (8, _parts(index, plan, False)),
        (6, keys(tk, near)),
        (4, keys(k, near)),
        (3, keys(tk, every)),
        (2, keys(k, every)),
    ]
    layers: list[tuple[int, int]] = []
    remaining = matched
    for points, tier in tiers:
        if not remaining:
            break
        layer = tier(remaining) & remaining
        if layer:
            layers.append((points, layer))
            remaining ^= layer
    if remaining:
        layers.append((1, remaining))
    return layers


def buckets(index: MemoryIndex, plans: list[WordPlan], matched: int) -> list[int]:
    """The matched set split by total score, best first."""
    by_score = {0: matched}
    for plan in plans:
        summed: dict[int, int] = {}
        for layer_points, layer in word_layers(index, plan, matched):
            for points, bits in by_score.items():
                both = bits & layer
                if both:
                    summed[points + layer_points] = summed.get(points + layer_points, 0) | both
        by_score = summed
    return [by_score[points] for points in sorted(by_score, reverse=True)]


def _cheapest(index: MemoryIndex, bits: int, count: int) -> list[int]:
    ordered = index.ordered
    head = lowest(bits & ((1 << ordered) - 1), count)
    tail = bits >> ordered
    if not tail:
        return head
    return sorted(head + [ordered + s for s in slots_of(tail)], key=index.rank)[:count]


def page(index: MemoryIndex, query: SearchQuery, groups: list[int]) -> list[int]:
    """The slots of the requested page, in the query's order."""
    start, stop = query.offset, query.offset + query.per_page
    if query.sort in (Sort.relevance, Sort.price_asc):
        out: list[int] = []
        skip = start
        for bits in groups:
            count = bits.bit_count()
            if skip >= count:
                skip -= count
                continue
            out += _cheapest(index, bits, skip + query.per_page - len(out))[skip:]
            skip = 0
            if len(out) >= query.per_page:
                break
        return out[: query.per_page]
    matched = 0
    for bits in groups:
        matched |= bits
    if query.sort == Sort.price_desc:
        ordered = index.ordered
        top = highest(matched & ((1 << ordered) - 1), stop)
        rest = matched & ((1 << (top[-1] if top else 0)) - 1) if len(top) >= stop else 0
        price = index.prices[top[-1]] if top else None
        while rest and index.prices[rest.bit_length() - 1] == price:
            top.append(rest.bit_length() - 1)  # same price, lower offer id
            rest ^= 1 << top[-1]
        found = top + [ordered + s for s in slots_of(matched >> ordered)]
        found.sort(key=lambda s: (-index.rank(s)[0], index.rank(s)[1]))
        return found[start:stop]

    def by_rating(slot: int) -> tuple[bool, float, int, int]:
        e = index.entries[slot]
        assert e is not None
        return e.rating_avg is None, -(e.rating_avg or 0), -e.hit.rating_count, e.offer_id

    return sorted(slots_of(matched), key=by_rating)[start:stop]


def counts(index: MemoryIndex, bits: int, names: tuple[str, ...]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name in names:
        for value, members in index.facets.get(name, {}).items():
            found = (bits & members).bit_count()
            if found:
                out.setdefault(name, {})[value] = found
    return out


def run(
    index: MemoryIndex, query: SearchQuery, plans: list[WordPlan], relaxed: bool
) -> SearchResult:
    base = index.alive
    if query.today is not None:
        base &= index.valid_on(query.today)
    if query.price_min_cents is not None or query.price_max_cents is not None:
        base &= index.price_between(query.price_min_cents, query.price_max_cents)
    if query.min_rating is not None:
        base &= index.rated_at_least(float(query.min_rating))
    filters: dict[str, int] = {}
    named = [
        ("category", [str(c) for c in query.category]),
        ("municipality", query.municipality),
        ("language", query.language),
        ("delivery", query.delivery),
        ("organiser", [] if query.organiser_id is None else [str(query.organiser_id)]),
    ]
    for name, values in named:
        if values:
            filters[name] = index.facet(name, values[:50])
    for plan in plans:
        base &= condition(index, plan, relaxed)
    matched = base
    for bits in filters.values():
        matched &= bits
    total = matched.bit_count()
    groups = buckets(index, plans, matched) if plans and query.sort == Sort.relevance else [matched]
    facets = counts(index, matched, FACETS) if total else {}
    for name in filters:
        if name in FACETS:
            others = base
            for other, bits in filters.items():
                others &= bits if other != name else -1
            facets[name] = counts(index, others, (name,)).get(name, {})
    hits: list[Hit] = [replace(index.entries[s].hit) for s in page(index, query, groups)]  # type: ignore[union-attr]
    return SearchResult(
        hits=hits, total=total, facets=facets, page=query.page, per_page=query.per_page
    )
