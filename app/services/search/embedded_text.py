"""What the embedded engine stores for a document's text, and the SQL matching and scoring a
query's words against it.

`title_lc` and `body` hold the words as written (body: titles, provider, descriptions,
categories); `stems` holds the analysed keys as whole tokens between spaces, the title's keys
first and the rest after a ` | ` marker: " kot siivous | pöly imuroi ... ". The same keys are
rows of `search_facet` (name "key", and "title_key" for the title's), so a key is looked up
exactly through that table's index, never as a substring.

Score of one query word, the best that applies (`WordSql.score`): exact title word, title
word start, title compound part, title key, inside a title word, all compound parts in the
title, then the same in the body, then synonyms, the compound head and typos. Words' scores add
up; price breaks ties.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from app.services.search.analysis import both_keys, index_keys, is_root
from app.services.search.base import SearchDoc
from app.services.search.lexicon import municipality_names
from app.services.search.text import like_escape, words
from app.services.search.understand import WordPlan

_TAG_RE = re.compile(r"<[^>]+>")
TITLE_END = " | "
KEY, TITLE_KEY, PREFIX = "key", "title_key", "prefix"  # search_facet names of the key rows
MAX_KEY = 60


def _plain(value: str) -> str:
    return _TAG_RE.sub(" ", value or "")


def document_texts(doc: SearchDoc, known: Callable[[str], bool] = is_root) -> tuple[str, str, str]:
    """(title words, body words, keys) as indexed: lower-case, all languages, nothing folded."""
    titles = " ".join(v for v in doc.title.values() if v)
    parts = [titles, doc.provider_name]
    parts += [_plain(v) for v in doc.description.values() if v]
    parts += [v for v in doc.category_names.values() if v]
    title_keys: list[str] = []
    other: list[str] = []
    for lang in sorted(set(doc.title) | set(doc.description) | set(doc.category_names)):
        title_keys += index_keys(words(doc.title.get(lang, "")), lang, known)
        rest = _plain(doc.description.get(lang, "")) + " " + doc.category_names.get(lang, "")
        other += index_keys(words(rest), lang, known)
    other += [k for w in words(doc.provider_name) for k in sorted(both_keys(w) | {w})]
    names = {m[0]: m[1:] for m in municipality_names()}
    for code in doc.municipalities:
        other += [k for n in names.get(code, ()) for w in words(n) for k in both_keys(w)]
    title_set = dict.fromkeys(title_keys)
    rest_keys = [k for k in dict.fromkeys(other) if k not in title_set]
    stems = " " + " ".join([*title_set, "|", *rest_keys]) + " "
    body = " ".join(words(" ".join(parts)))
    return " ".join(words(titles)), body, stems


def key_rows(offer_id: int, stems: str, named: str) -> list[dict[str, Any]]:
    """The document's keys as rows of `search_facet` (names KEY and TITLE_KEY): an exact,
    indexed lookup per key, where a substring search of `stems` would scan; and the first one
    and two letters of the words that name it (`named`: title, category, provider; PREFIX),
    for the shortest queries."""
    title, _marker, rest = stems.partition(TITLE_END)
    starts = {w[:n] for w in named.split() for n in (1, 2) if len(w) >= n}
    prefix_rows = [{"offer_id": offer_id, "name": PREFIX, "value": p} for p in sorted(starts)]
    rows = [{"offer_id": offer_id, "name": TITLE_KEY, "value": k} for k in title.split()]
    rows += [
        {"offer_id": offer_id, "name": KEY, "value": k}
        for k in dict.fromkeys(title.split() + rest.split())
    ]
    return [r for r in rows if len(r["value"]) <= MAX_KEY] + prefix_rows


def naming_words(doc: SearchDoc) -> str:
    texts = [*doc.title.values(), *doc.category_names.values(), doc.provider_name]
    return " ".join(words(" ".join(texts)))


class WordSql:
    """Builds the match condition and the score of one planned query word."""

    def __init__(self, plan: WordPlan, i: int, params: dict[str, Any], sqlite: bool) -> None:
        self.plan, self.i, self.params, self.sqlite = plan, i, params, sqlite
        self.n = 0

    def _bind(self, value: str) -> str:
        name = f"p{self.i}_{self.n}"
        self.n += 1
        self.params[name] = value
        return f":{name}"

    def _like(self, column: str, pattern: str) -> str:
        return f"{column} LIKE {self._bind(pattern)} ESCAPE '\\'"

    def _keys_sql(self, keys: list[str], title_only: bool) -> str:
        values = ", ".join(self._bind(k) for k in dict.fromkeys(keys) if len(k) <= MAX_KEY)
        name = TITLE_KEY if title_only else KEY
        return f"name = '{name}' AND value IN ({values})" if values else ""

    def _any_key(self, keys: list[str], title_only: bool = False) -> str:
        found = self._keys_sql(keys, title_only)
        if not found:
            return ""
        return f"EXISTS (SELECT 1 FROM search_facet k WHERE k.offer_id = d.offer_id AND {found})"

    def _parts(self, title_only: bool) -> str:
        if len(self.plan.parts) < 2:
            return ""
        return "(" + " AND ".join(self._any_key(p, title_only) for p in self.plan.parts) + ")"

    def _values(self, keys: list[str]) -> str:
        return ", ".join(self._bind(k) for k in dict.fromkeys(keys) if len(k) <= MAX_KEY)

    def key_join(self) -> str:
        """A derived table (offer_id, s): each document's best key tier, read set-wise from
        the key rows' index rather than looked up row by row (title word 19, title key 18,
        body word 11, body key 10, a synonym or typo key 6 in the title, 4 elsewhere, a
        compound part of a widened search 3 and 2)."""
        word, keys = [self.plan.word], self.plan.keys
        others = self.plan.synonyms + self.plan.typo_keys + self.plan.head
        every = self._values(word + keys + others)
        if not every:
            return f"(SELECT CAST(NULL AS INTEGER) AS offer_id, 0 AS s WHERE 1 = 0) ks{self.i}"
        near = self.plan.synonyms + self.plan.typo_keys
        tiers = [(TITLE_KEY, word, 19), (TITLE_KEY, keys, 18), (KEY, word, 11), (KEY, keys, 10)]
        tiers += [(TITLE_KEY, near, 6), (KEY, near, 4)]
        cases = " ".join(
            f"WHEN k.name = '{name}' AND k.value IN ({self._values(values)}) THEN {points}"
            for name, values, points in tiers
            if values
        )
        return (
            f"(SELECT k.offer_id, MAX(CASE {cases} WHEN k.name = '{TITLE_KEY}' THEN 3 ELSE 2 END)"
            f" AS s FROM search_facet k WHERE k.name IN ('{KEY}', '{TITLE_KEY}') "
            f"AND k.value IN ({every}) GROUP BY k.offer_id) ks{self.i}"
        )

    def score(self) -> str:
        """The best tier that applies: the text as written (title exact 24, title word start 20,
        inside a title word 14, body word start 12, inside a body word 8), all compound parts
        (14 in the title, 8 elsewhere) or the key tier of `key_join` (joined as ks<i>)."""
        w = like_escape(self.plan.word)
        tiers: list[tuple[str, int]] = [
            (self._like("(' ' || d.title_lc || ' ')", f"% {w} %"), 24),
            (self._like("(' ' || d.title_lc)", f"% {w}%"), 20),
            (self._like("d.title_lc", f"%{w}%"), 14),
            (self._parts(title_only=True), 14),
            (self._like("(' ' || d.body)", f"% {w}%"), 12),
            (self._like("d.body", f"%{w}%"), 8),
            (self._parts(title_only=False), 8),
        ]
        cases = " ".join(f"WHEN {cond} THEN {points}" for cond, points in tiers if cond)
        greatest = "max" if self.sqlite else "GREATEST"
        return f"{greatest}((CASE {cases} ELSE 1 END), COALESCE(ks{self.i}.s, 0))"

    def condition(self, relaxed: bool) -> str:
        """The word's match: its text (FTS5 on SQLite from three letters, LIKE on PostgreSQL; a
        word start for one or two letters), a
        key, a synonym, all compound parts; widened (relaxed), the compound head and typos."""
        typos = self.plan.typos if relaxed else []
        keys = [self.plan.word, *self.plan.keys, *self.plan.synonyms]
        keys += self.plan.head + self.plan.typo_keys if relaxed else []
        ors: list[str] = []
        if len(self.plan.word) < 3:
            ors.append(
                f"d.offer_id IN (SELECT offer_id FROM search_facet WHERE name = '{PREFIX}' "
                f"AND value = {self._bind(self.plan.word)})"
            )
        elif self.sqlite:
            phrases = " OR ".join(f'body : "{t}"' for t in [self.plan.word, *typos])
            ors.append(
                "d.offer_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH "
                f"{self._bind(phrases)})"
            )
        else:
            ors += [self._like("d.body", f"%{like_escape(t)}%") for t in [self.plan.word, *typos]]
        if len(self.plan.word) >= 2:
            found = self._keys_sql(keys, title_only=False)
            ors.append(f"d.offer_id IN (SELECT offer_id FROM search_facet WHERE {found})")
        if len(self.plan.parts) > 1:
            every = " INTERSECT ".join(
                f"SELECT offer_id FROM search_facet WHERE {self._keys_sql(p, title_only=False)}"
                for p in self.plan.parts
            )
            ors.append(f"d.offer_id IN ({every})")
        return "(" + " OR ".join(ors) + ")"
