"""The search's word lists: compound roots, synonym groups, stop words, language and place words.

Read once from `data/` (roots.txt, synonyms.json) and the official municipality list.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.services.catalogue.municipalities import official_list

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def _synonym_file() -> dict[str, Any]:
    return dict(json.loads((DATA / "synonyms.json").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def roots() -> frozenset[str]:
    lines = (DATA / "roots.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


def synonym_groups() -> list[list[str]]:
    return [list(group) for group in _synonym_file()["groups"]]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(_synonym_file()["stopwords"])


@lru_cache(maxsize=1)
def language_words() -> dict[str, str]:
    """word -> language code ("ruotsiksi" -> "sv")."""
    return {w: code for code, ws in _synonym_file()["languages"].items() for w in ws}


@lru_cache(maxsize=1)
def municipality_names() -> list[tuple[str, str, str]]:
    """(code, Finnish name, Swedish name), lower-case."""
    return [(code, fi.lower(), sv.lower()) for code, fi, sv in official_list()]
