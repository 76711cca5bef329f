"""What the embedded engine stores for a document's text (matched and scored from memory by
memory_query.py).

`title_lc` and `body` hold the words as written (body: titles, provider, descriptions,
categories); `stems` holds the analysed keys as whole tokens between spaces, the title's keys
first and the rest after a ` | ` marker: " kot siivous | pöly imuroi ... ". The in-memory
index (memory_index.py) reads its postings from these columns and the word starts from the
PREFIX rows of `search_facet`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from app.services.search.analysis import both_keys, index_keys, is_root
from app.services.search.base import SearchDoc
from app.services.search.lexicon import municipality_names
from app.services.search.text import words

_TAG_RE = re.compile(r"<[^>]+>")
TITLE_END = " | "
PREFIX = "prefix"  # search_facet name of the word-start rows
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


def prefix_rows(offer_id: int, named: str) -> list[dict[str, Any]]:
    """The first one and two letters of the words that name the document (`named`: title,
    category, provider) as rows of `search_facet` (name PREFIX), for the shortest queries.
    The keys themselves are read from `stems`."""
    starts = {w[:n] for w in named.split() for n in (1, 2) if len(w) >= n}
    return [{"offer_id": offer_id, "name": PREFIX, "value": p} for p in sorted(starts)]


def naming_words(doc: SearchDoc) -> str:
    texts = [*doc.title.values(), *doc.category_names.values(), doc.provider_name]
    return " ".join(words(" ".join(texts)))
