"""Finnish morphology from Voikko (Debian `libvoikko1` + `voikko-fi`, Python `libvoikko`):
the base forms of an inflected word (kodin -> koti, siivoukseen -> siivous, töihin -> työ)
and the parts of a compound (omaishoidon -> omainen + hoito, ratsastusterapia -> ratsastus +
terapia), which the rules in analysis.py only approximate.

Optional by design: where the library or its dictionary is missing the search keeps its
rule-based analysis and says so once in the log. `HEBU_SEARCH_VOIKKO=false` turns it off.
A Voikko handle is not thread-safe, so each thread opens its own.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)
_local = threading.local()
_state: dict[str, Any] = {"checked": False, "ok": False}
_lock = threading.Lock()
# Proper nouns are not split (Jyväskylä is not "jyvänen + kylä").
_NAMES = frozenset({"paikannimi", "etunimi", "sukunimi", "nimi"})
_SEGMENT = re.compile(r"\+([^+()]*)(?:\(([^)]*)\))?")
MIN_PART = 3


@dataclass(frozen=True)
class Analysis:
    base: str  # lower-case base form
    parts: tuple[str, ...]  # compound parts (base forms), () when not a compound
    name: bool = False  # a place or person name


def _open() -> Any | None:
    handle = getattr(_local, "voikko", None)
    if handle is not None:
        return handle
    try:
        import libvoikko  # type: ignore[import-untyped]

        handle = libvoikko.Voikko("fi")
    except Exception as exc:  # no library, no dictionary
        with _lock:
            if not _state["checked"]:
                log.warning("Voikko is not available (%s): Finnish words by rules only", exc)
            _state.update(checked=True, ok=False)
        return None
    _local.voikko = handle
    with _lock:
        _state.update(checked=True, ok=True)
    return handle


def enabled() -> bool:
    """Whether Voikko analyses Finnish words in this process."""
    if os.environ.get("HEBU_SEARCH_VOIKKO", "").lower() in ("0", "false", "no", "off"):
        return False
    return _open() is not None


def _parts(wordbases: str) -> tuple[str, ...]:
    """ "+mielen(mieli)+terve(terve)+ys(+ys)+kuntoutus(kuntoutus)" -> (mieli, terveys,
    kuntoutus): a derivational ending ("+ys") joins the part before it (its surface form);
    a part without one is its base form; a lexical compound ("fysio=terapeutti") splits."""
    parts: list[list[str]] = []  # [surface, base] per lexical part
    for surface, base in _SEGMENT.findall(wordbases):
        if base.startswith("+") and parts:  # a derivational ending
            parts[-1] = [parts[-1][0] + surface, parts[-1][0] + surface]
        elif surface:
            parts.append([surface, base or surface])
    out: list[str] = []
    for _surface, base in parts:
        out.extend(p for p in base.lower().split("=") if p)
    return tuple(out) if len(out) >= 2 else ()


@lru_cache(maxsize=200_000)
def analyse(word: str) -> tuple[Analysis, ...]:
    """Voikko's readings of a lower-case word, () when Voikko is off or knows no reading."""
    if not enabled() or len(word) < 2:
        return ()
    handle = _open()
    if handle is None:
        return ()
    try:
        readings = handle.analyze(word)
    except Exception:  # a word the library chokes on: no reading
        return ()
    out: dict[Analysis, None] = {}
    for reading in readings:
        base = str(reading.get("BASEFORM") or "").lower()
        if not base:
            continue
        name = reading.get("CLASS") in _NAMES
        parts = () if name else _parts(str(reading.get("WORDBASES") or ""))
        kept = tuple(p for p in parts if len(p) >= MIN_PART)
        out[Analysis(base, kept if len(kept) >= 2 else (), name)] = None
    return tuple(out)


def base_forms(word: str) -> frozenset[str]:
    return frozenset(a.base for a in analyse(word) if a.base != word)


def compound_parts(word: str) -> list[str]:
    """The parts of the reading that splits the word into the most parts ([] when none, and
    for a word one of whose readings is a name: "jyväskylä" is a town, not a compound)."""
    readings = analyse(word)
    if any(r.name for r in readings):
        return []
    best: tuple[str, ...] = ()
    for reading in readings:
        if len(reading.parts) > len(best):
            best = reading.parts
    return list(best) if len(best) >= 2 else []
