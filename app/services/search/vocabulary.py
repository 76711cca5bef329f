"""The indexed vocabulary in memory: typo candidates from a deletion index, known words and keys.

Typo candidates come from a SymSpell-style deletion neighbourhood over each word's first
`PREFIX` letters: a word is filed under every string made by deleting up to two of those
letters, a query word looks up its own deletions and only the few words found are checked with
the real edit distance. The cost no longer grows with the vocabulary.

The vocabulary is the `search_term` table, loaded per database once and then followed: terms
are only ever added (a clear empties it), so a changed row count means "read the new ones".
Analysing every word (both languages' keys, for `knows`) is most of a fresh load's cost, so a
large batch of new words is keyed in the background (`prepare`, with the deletion index); until
then `knows` also accepts the keys the writer already stored with the documents (`provisional`,
the in-memory index's key postings).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from app.services.search.analysis import both_keys
from app.services.search.text import edit_distance, max_typos

PREFIX = 7
MAX_DELETES = 2
KEY_NOW = 2000  # at most this many new words are keyed at once; more wait for `prepare`


def _deletions(word: str, depth: int) -> set[str]:
    found = {word[:PREFIX]}
    for _ in range(depth):
        found |= {
            shorter[:i] + shorter[i + 1 :]
            for shorter in found
            if len(shorter) > len(word[:PREFIX]) - depth and len(shorter) > 1
            for i in range(len(shorter))
        }
    return found


@dataclass
class Vocabulary:
    words: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    deletes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    rows: int = 0
    provisional: Container[str] = frozenset()  # keys known while words wait to be keyed
    _filed: int = 0  # words[:_filed] are in the deletion index, built on the first typo lookup
    _keyed: int = 0  # words[:_keyed] have their keys in `keys`
    _order: list[str] = field(default_factory=list)
    _filing: threading.Lock = field(default_factory=threading.Lock)

    def add(self, terms: list[str]) -> None:
        for term in terms:
            if term in self.words:
                continue
            self.words.add(term)
            self._order.append(term)
        if len(self._order) - self._keyed <= KEY_NOW:
            self.key(wait=False)  # busy: the background thread's loop takes them too

    @property
    def keyed(self) -> bool:
        return self._keyed >= len(self._order)

    def key(self, wait: bool = True) -> None:
        """Put the keys of the words added since the last call into `keys`."""
        if not self._filing.acquire(blocking=wait):
            return
        try:
            while self._keyed < len(self._order):
                batch = self._order[self._keyed :]
                for term in batch:
                    self.keys.update(both_keys(term))
                self._keyed += len(batch)
        finally:
            self._filing.release()

    def prepare(self) -> None:
        """The loader's background work: keys first (`knows`), then the deletion index."""
        self.key()
        self.file()

    def file(self) -> None:
        """Put the words added since the last call into the deletion index (the loader
        runs this in a background thread, so a first typo query rarely waits for it)."""
        with self._filing:
            for term in self._order[self._filed :]:
                if len(term) >= 4:
                    for key in _deletions(term, MAX_DELETES):
                        self.deletes[key].append(term)
            self._filed = len(self._order)

    def near(self, word: str, limit_count: int) -> list[str]:
        """Indexed words within the word's typo allowance, nearest first (not the word)."""
        limit = max_typos(word)
        if not limit:
            return []
        if self._filed < len(self._order):
            self.file()
        seen: set[str] = set()
        scored: list[tuple[int, str]] = []
        for key in _deletions(word, limit):
            for term in self.deletes.get(key, ()):
                if term in seen or term == word:
                    continue
                seen.add(term)
                distance = edit_distance(word, term, limit)
                if distance <= limit:
                    scored.append((distance, term))
        return [t for _d, t in sorted(scored)[:limit_count]]

    def has(self, word: str) -> bool:
        """The word itself is indexed (written somewhere as a word of its own)."""
        return word in self.words

    def knows(self, word: str) -> bool:
        if word in self.words:
            return True
        keys = both_keys(word)
        if any(k in self.keys for k in keys):  # no iteration over `keys` (another thread adds)
            return True
        return not self.keyed and any(k in self.provisional for k in keys)


_cache: WeakKeyDictionary[Engine, Vocabulary] = WeakKeyDictionary()  # goes with its engine
_lock = threading.Lock()


def vocabulary(conn: Connection) -> Vocabulary:
    """This database's vocabulary, brought up to date with the `search_term` table."""
    engine = conn.engine
    count = int(conn.execute(text("SELECT COUNT(*) FROM search_term")).scalar_one())
    with _lock:
        vocab = _cache.get(engine)
        if vocab is None or count < vocab.rows:
            vocab = _cache[engine] = Vocabulary()
        if count != vocab.rows:
            rows = conn.execute(text("SELECT term FROM search_term")).scalars().all()
            vocab.add([str(t) for t in rows])
            vocab.rows = count
        return vocab


def forget(conn: Connection) -> None:
    """Drop the cached vocabulary (after the index was cleared)."""
    with _lock:
        _cache.pop(conn.engine, None)
