"""Self-assessment instruments as data: versioned YAML definitions, loaded and validated strictly.

One file per instrument version in `app/instruments/` (`<key>.v<version>.yaml`). A broken
definition raises `InstrumentError` naming the file and the item, at application start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

INSTRUMENT_DIR = Path(__file__).resolve().parents[2] / "instruments"
REQUIRED_LANGS = ("fi", "sv", "en")
OPTIONAL_LANGS = ("fi@selko", "sv@latt")
ITEM_TYPES = ("rating", "scale10", "single", "multi", "text")
Texts = dict[str, str]


class InstrumentError(ValueError):
    """A definition file is broken; the message names the file and the item."""


@dataclass(frozen=True)
class Option:
    value: str
    label: Texts
    score: float | None = None


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    text: Texts
    hint: Texts | None = None
    options: tuple[Option, ...] = ()
    low: Texts | None = None  # label of the low end (rating, scale10)
    high: Texts | None = None
    domain: str | None = None
    reverse: bool = False
    categories: tuple[str, ...] = ()  # service needs: catalogue category slugs
    max_length: int = 500

    def values(self) -> list[str]:
        if self.type == "scale10":
            return [str(n) for n in range(11)]
        return [o.value for o in self.options]

    def score(self, value: Any) -> float | None:
        """The answer on a 0-10 scale (higher is better), or None when not scored."""
        if self.domain is None or value is None:
            return None
        if self.type == "scale10":
            raw = float(value)
        elif self.type in ("rating", "single"):
            option = next((o for o in self.options if o.value == value), None)
            if option is None or option.score is None:
                return None
            raw = option.score
        else:
            return None
        return 10 - raw if self.reverse else raw


@dataclass(frozen=True)
class Condition:
    item: str
    equals: str


@dataclass(frozen=True)
class Section:
    id: str
    title: Texts
    items: tuple[Item, ...]
    intro: Texts | None = None
    show_if: Condition | None = None


@dataclass(frozen=True)
class Domain:
    id: str
    title: Texts
    optional: bool = False


@dataclass(frozen=True)
class Instrument:
    key: str
    version: int
    kind: str  # "life-situation" | "service-needs" | "profile" | "experience"
    title: Texts
    intro: Texts
    minutes: int
    sections: tuple[Section, ...]
    domains: tuple[Domain, ...] = ()
    source: str = ""
    items_by_id: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)

    def item(self, item_id: str) -> Item | None:
        return self.items_by_id.get(item_id)

    def visible_sections(self, answers: dict[str, Any]) -> list[Section]:
        return [
            s
            for s in self.sections
            if s.show_if is None or answers.get(s.show_if.item) == s.show_if.equals
        ]

    def domain(self, domain_id: str) -> Domain | None:
        return next((d for d in self.domains if d.id == domain_id), None)


def pick(texts: Texts | None, locale: str) -> str:
    """The text for a locale: fi@selko falls back to fi, sv@latt to sv; else fi."""
    if not texts:
        return ""
    if locale in texts and texts[locale]:
        return texts[locale]
    base = locale.split("@", 1)[0]
    return texts.get(base) or texts.get("fi") or next(iter(texts.values()), "")


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> InstrumentError:
        return InstrumentError(f"{self.source}: {where}: {problem}")

    def texts(self, raw: Any, where: str, *, required: bool = True) -> Texts | None:
        if raw is None and not required:
            return None
        if not isinstance(raw, dict):
            raise self.fail(where, "texts must be a mapping of language to text")
        unknown = set(raw) - set(REQUIRED_LANGS) - set(OPTIONAL_LANGS)
        if unknown:
            raise self.fail(where, f"unknown language(s) {sorted(unknown)}")
        for lang in REQUIRED_LANGS:
            value = raw.get(lang)
            if not isinstance(value, str) or not value.strip():
                raise self.fail(where, f"text in '{lang}' is missing")
        return {k: str(v).strip() for k, v in raw.items()}

    def keys(self, raw: dict[str, Any], where: str, allowed: set[str]) -> None:
        unknown = set(raw) - allowed
        if unknown:
            raise self.fail(where, f"unknown field(s) {sorted(unknown)}")


def _option(check: _Checker, raw: Any, where: str) -> Option:
    if not isinstance(raw, dict) or "value" not in raw:
        raise check.fail(where, "an option needs a value")
    check.keys(raw, where, {"value", "label", "score"})
    score = raw.get("score")
    if score is not None and (not isinstance(score, int | float) or not 0 <= score <= 10):
        raise check.fail(where, f"option score {score!r} is not between 0 and 10")
    label = check.texts(raw.get("label"), f"{where} label")
    assert label is not None
    return Option(value=str(raw["value"]), label=label, score=score)


def _item(
    check: _Checker, raw: Any, scales: dict[str, list[Any]], domains: set[str], categories: set[str]
) -> Item:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise check.fail("item", f"an item needs an id (got {raw!r:.60})")
    where = f"item '{raw['id']}'"
    check.keys(
        raw,
        where,
        {"id", "type", "text", "hint", "options", "scale", "low", "high", "domain", "reverse"}
        | {"categories", "max_length"},
    )
    kind = raw.get("type")
    if kind not in ITEM_TYPES:
        raise check.fail(where, f"unknown type {kind!r} (one of {', '.join(ITEM_TYPES)})")
    raw_options = raw.get("options")
    if "scale" in raw:
        if raw["scale"] not in scales:
            raise check.fail(where, f"unknown scale {raw['scale']!r}")
        raw_options = scales[raw["scale"]]
    options = tuple(
        _option(check, o, f"{where} option {n + 1}") for n, o in enumerate(raw_options or [])
    )
    if kind in ("rating", "single", "multi") and len(options) < 2:
        raise check.fail(where, "needs at least two options")
    if kind in ("scale10", "text") and options:
        raise check.fail(where, f"a {kind} item has no options")
    if len({o.value for o in options}) != len(options):
        raise check.fail(where, "option values repeat")
    domain = raw.get("domain")
    if domain is not None and domain not in domains:
        raise check.fail(where, f"unknown domain {domain!r}")
    if domain is not None and kind in ("multi", "text"):
        raise check.fail(where, f"a {kind} item cannot be scored into a domain")
    if domain is not None and any(o.score is None for o in options):
        raise check.fail(where, "every option of a scored item needs a score")
    cats = tuple(raw.get("categories") or ())
    bad = [c for c in cats if c not in categories]
    if bad:
        raise check.fail(where, f"unknown catalogue categories {bad}")
    max_length = raw.get("max_length", 500)
    if not isinstance(max_length, int) or not 1 <= max_length <= 2000:
        raise check.fail(where, "max_length must be 1-2000")
    text = check.texts(raw.get("text"), f"{where} text")
    assert text is not None
    return Item(
        id=raw["id"],
        type=kind,
        text=text,
        hint=check.texts(raw.get("hint"), f"{where} hint", required=False),
        options=options,
        low=check.texts(raw.get("low"), f"{where} low", required=kind == "scale10"),
        high=check.texts(raw.get("high"), f"{where} high", required=kind == "scale10"),
        domain=domain,
        reverse=bool(raw.get("reverse", False)),
        categories=cats,
        max_length=max_length,
    )


def parse(raw: Any, source: str, categories: set[str]) -> Instrument:
    check = _Checker(source)
    if not isinstance(raw, dict):
        raise check.fail("file", "the definition must be a mapping")
    check.keys(
        raw,
        "instrument",
        {"key", "version", "kind", "title", "intro", "minutes", "scales", "domains", "sections"},
    )
    key, version = raw.get("key"), raw.get("version")
    if not isinstance(key, str) or not isinstance(version, int) or version < 1:
        raise check.fail("instrument", "needs a key (text) and a version (whole number ≥ 1)")
    if raw.get("kind") not in ("life-situation", "service-needs", "profile", "experience"):
        raise check.fail("instrument", f"unknown kind {raw.get('kind')!r}")
    domains = tuple(
        Domain(
            id=str(d.get("id")),
            title=check.texts(d.get("title"), f"domain '{d.get('id')}' title") or {},
            optional=bool(d.get("optional", False)),
        )
        for d in raw.get("domains") or []
    )
    domain_ids = {d.id for d in domains}
    scales = raw.get("scales") or {}
    sections: list[Section] = []
    items: dict[str, Item] = {}
    for raw_section in raw.get("sections") or []:
        sid = raw_section.get("id") if isinstance(raw_section, dict) else None
        if not isinstance(sid, str):
            raise check.fail("section", "a section needs an id")
        where = f"section '{sid}'"
        check.keys(raw_section, where, {"id", "title", "intro", "items", "show_if"})
        section_items = []
        for raw_item in raw_section.get("items") or []:
            item = _item(check, raw_item, scales, domain_ids, categories)
            if item.id in items:
                raise check.fail(f"item '{item.id}'", "the id is used twice")
            items[item.id] = item
            section_items.append(item)
        if not section_items:
            raise check.fail(where, "has no items")
        condition = None
        if raw_section.get("show_if") is not None:
            cond = raw_section["show_if"]
            target = items.get(cond.get("item")) if isinstance(cond, dict) else None
            if target is None or target in section_items:
                raise check.fail(where, "show_if must name an item of an earlier section")
            if str(cond.get("equals")) not in target.values():
                raise check.fail(where, f"show_if value {cond.get('equals')!r} is not an option")
            condition = Condition(item=target.id, equals=str(cond["equals"]))
        sections.append(
            Section(
                id=sid,
                title=check.texts(raw_section.get("title"), f"{where} title") or {},
                intro=check.texts(raw_section.get("intro"), f"{where} intro", required=False),
                items=tuple(section_items),
                show_if=condition,
            )
        )
    if not sections:
        raise check.fail("instrument", "has no sections")
    for domain in domains:
        if not any(i.domain == domain.id for i in items.values()):
            raise check.fail(f"domain '{domain.id}'", "no item is scored into it")
    minutes = raw.get("minutes")
    if not isinstance(minutes, int) or minutes < 1:
        raise check.fail("instrument", "minutes must be a whole number ≥ 1")
    return Instrument(
        key=key,
        version=version,
        kind=raw["kind"],
        title=check.texts(raw.get("title"), "instrument title") or {},
        intro=check.texts(raw.get("intro"), "instrument intro") or {},
        minutes=minutes,
        sections=tuple(sections),
        domains=domains,
        source=source,
        items_by_id=items,
    )


def load_dir(directory: Path, categories: set[str]) -> dict[tuple[str, int], Instrument]:
    found: dict[tuple[str, int], Instrument] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise InstrumentError(f"{path.name}: not valid YAML: {exc}") from exc
        instrument = parse(raw, path.name, categories)
        if (instrument.key, instrument.version) in found:
            raise InstrumentError(f"{path.name}: {instrument.key} v{instrument.version} twice")
        found[(instrument.key, instrument.version)] = instrument
    return found


CATEGORY_SLUGS = {
    "home-help",
    "personal-assistance",
    "therapy",
    "day-activities",
    "housing-support",
    "transport",
    "leisure",
    "respite",
    "peer-support",
    "aids",
}


@lru_cache(maxsize=1)
def registry() -> dict[tuple[str, int], Instrument]:
    return load_dir(INSTRUMENT_DIR, CATEGORY_SLUGS)


def get(key: str, version: int) -> Instrument | None:
    return registry().get((key, version))


def latest(key: str) -> Instrument | None:
    versions = [i for (k, _v), i in registry().items() if k == key]
    return max(versions, key=lambda i: i.version) if versions else None


def instrument_keys() -> list[str]:
    """Instrument keys in the order a client meets them."""
    order = {"life-situation": 0, "service-needs": 1, "profile": 2, "experience": 3}
    latest_each = {k: latest(k) for k, _v in registry()}
    return sorted(latest_each, key=lambda k: order.get(latest_each[k].kind, 9))  # type: ignore[union-attr]
