"""What the embedded engine stores for a document's text, and the SQL matching and scoring a
query's words against it.

`title_lc` and `body` hold the words as written (body: titles, provider, descriptions,
categories); `stems` holds the analysed keys as whole tokens between spaces, the title's keys
first and the rest after a ` | ` marker: " kot siivous | pöly imuroi ... ". A key matches as
the token " key ", never as a substring.

Score of one query word, the best that applies (see `WordSql.score`): exact title word,
title word start, title compound part, title key, inside a title word, all compound parts in
the title, then the same in the body, then synonyms, the compound head and typos. Words'
scores add up; price breaks ties.
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

    def _key_in(self, key: str, title_only: bool) -> str:
        token = f" {key} "
        if not title_only:
            return self._like("d.stems", f"%{like_escape(token)}%")
        find = "instr(d.stems, {})" if self.sqlite else "strpos(d.stems, {})"
        at, end = find.format(self._bind(token)), find.format(self._bind(TITLE_END))
        return f"({at} BETWEEN 1 AND {end})"

    def _any_key(self, keys: list[str], title_only: bool = False) -> str:
        return "(" + " OR ".join(self._key_in(k, title_only) for k in keys) + ")" if keys else ""

    def _parts(self, title_only: bool) -> str:
        if len(self.plan.parts) < 2:
            return ""
        return "(" + " AND ".join(self._any_key(p, title_only) for p in self.plan.parts) + ")"

    def score(self) -> str:
        w = like_escape(self.plan.word)
        word, keys, head, synonyms = [self.plan.word], self.plan.keys, self.plan.head, []
        synonyms = self.plan.synonyms + self.plan.typo_keys
        tiers: list[tuple[str, int]] = [
            (self._like("(' ' || d.title_lc || ' ')", f"% {w} %"), 24),
            (self._like("(' ' || d.title_lc)", f"% {w}%"), 20),
            (self._any_key(word, title_only=True), 19),
            (self._any_key(keys, title_only=True), 18),
            (self._like("d.title_lc", f"%{w}%"), 14),
            (self._parts(title_only=True), 14),
            (self._like("(' ' || d.body)", f"% {w}%"), 12),
            (self._any_key(word), 11),
            (self._any_key(keys), 10),
            (self._like("d.body", f"%{w}%"), 8),
            (self._parts(title_only=False), 8),
            (self._any_key(synonyms + head, title_only=True), 6),
            (self._any_key(synonyms + head), 4),
        ]
        cases = " ".join(f"WHEN {cond} THEN {points}" for cond, points in tiers if cond)
        return f"(CASE {cases} ELSE 2 END)"

    def fts(self, relaxed: bool) -> str:
        """An FTS5 MATCH expression (SQLite, words of three letters or more)."""
        typos = self.plan.typos if relaxed else []
        alts = [f'body : "{self.plan.word}"'] + [f'body : "{t}"' for t in typos]
        keys = self.plan.keys + self.plan.synonyms
        keys += self.plan.head + self.plan.typo_keys if relaxed else []
        alts += [f'stems : " {k} "' for k in keys]
        if len(self.plan.parts) > 1:
            alts.append(
                "("
                + " AND ".join(
                    "(" + " OR ".join(f'stems : " {k} "' for k in p) + ")" for p in self.plan.parts
                )
                + ")"
            )
        return "(" + " OR ".join(alts) + ")"

    def condition(self, relaxed: bool) -> str:
        """The same condition in plain SQL (PostgreSQL, and short words everywhere)."""
        w = like_escape(self.plan.word)
        if len(self.plan.word) < 3:
            return self._like("(' ' || d.body)", f"% {w}%")
        ors = [self._like("d.body", f"%{w}%")]
        typos = self.plan.typos if relaxed else []
        ors += [self._like("d.body", f"%{like_escape(t)}%") for t in typos]
        keys = self.plan.keys + self.plan.synonyms
        keys += self.plan.head + self.plan.typo_keys if relaxed else []
        ors += [self._any_key(keys)] if keys else []
        ors += [self._parts(title_only=False)] if len(self.plan.parts) > 1 else []
        return "(" + " OR ".join(ors) + ")"
