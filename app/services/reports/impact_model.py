"""The organiser's impact model (seed 002 appendix 2 "ennakoiva vaikuttavuusmalli", seed 004's
iooi chain): resources → activities → outputs → outcomes → impact. Each step holds items in
the admin's order, each item can be linked to the core indicators of the indicator report
(`indicators.CORE`) that measure it. Only an organiser admin edits, and only their own
organiser's model; every change is audit-logged. No client data: nothing to scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.errors import Conflict, Invalid, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.impact import ImpactItem, ImpactLink, ImpactStep
from app.repositories.reports import report_organiser_ids
from app.services.reports.data import log_change
from app.services.reports.indicators import CORE, CORE_CODES

STEPS = tuple(ImpactStep)
LANGUAGES = ("fi", "sv", "en")
MAX_ITEMS_PER_STEP = 12
MAX_TEXT = 300


class TooManyItems(Conflict):
    default_text = lazy_gettext("A step can hold at most 12 items.")


class TextMissing(Invalid):
    default_text = lazy_gettext("Write the item in Finnish or Swedish.")


class UnknownIndicator(Invalid):
    default_text = lazy_gettext("Choose indicators from the list.")


@dataclass
class Item:
    id: int
    step: ImpactStep
    position: int
    text: dict[str, str]
    codes: list[str] = field(default_factory=list)


@dataclass
class Model:
    organiser_id: int
    steps: dict[ImpactStep, list[Item]]

    @property
    def items(self) -> list[Item]:
        return [item for step in STEPS for item in self.steps[step]]

    def measured_by(self, code: str) -> list[Item]:
        return [item for item in self.items if code in item.codes]


def indicator_choices() -> list[tuple[str, object]]:
    """The core indicators an item can be linked to: (code, label), in the report's order."""
    return [(code, label) for code, _block, label, _unit, _fn in CORE]


def organiser_of(actor: Actor) -> int:
    organisers = sorted(report_organiser_ids(actor))
    if not organisers:
        raise NotFound()
    return organisers[0]


def model_of(session: Session, actor: Actor) -> Model:
    organiser_id = organiser_of(actor)
    return load(session, organiser_id)


def load(session: Session, organiser_id: int) -> Model:
    """The model of one organiser (two queries)."""
    rows = session.exec(
        select(ImpactItem)
        .where(ImpactItem.organiser_id == organiser_id)
        .order_by(col(ImpactItem.position), col(ImpactItem.id))
    ).all()
    links: dict[int, list[str]] = defaultdict(list)
    ids = [r.id for r in rows if r.id is not None]
    if ids:
        for item_id, code in session.exec(
            select(ImpactLink.item_id, ImpactLink.code).where(col(ImpactLink.item_id).in_(ids))
        ).all():
            links[item_id].append(code)
    order = {code: n for n, (code, *_rest) in enumerate(CORE)}
    steps: dict[ImpactStep, list[Item]] = {step: [] for step in STEPS}
    for r in rows:
        assert r.id is not None
        codes = sorted(links.get(r.id, []), key=lambda c: order.get(c, len(order)))
        steps[ImpactStep(r.step)].append(Item(r.id, ImpactStep(r.step), r.position, r.text, codes))
    return Model(organiser_id, steps)


def clean_texts(texts: dict[str, str]) -> dict[str, str]:
    found = {lang: " ".join(texts.get(lang, "").split())[:MAX_TEXT] for lang in LANGUAGES}
    found = {lang: text for lang, text in found.items() if text}
    if not (found.get("fi") or found.get("sv")):
        raise TextMissing()
    return found


def clean_codes(codes: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(c for c in codes if c))
    if any(code not in CORE_CODES for code in wanted):
        raise UnknownIndicator()
    return wanted


def _own_item(session: Session, actor: Actor, item_id: int) -> ImpactItem:
    item = session.get(ImpactItem, item_id)
    if item is None or item.organiser_id not in report_organiser_ids(actor):
        raise NotFound()
    return item


def edit_check(session: Session, actor: Actor, item_id: int) -> None:
    """NotFound unless the item is in the actor's own organiser's model."""
    _own_item(session, actor, item_id)


def _set_links(session: Session, item_id: int, codes: list[str]) -> None:
    session.execute(delete(ImpactLink).where(col(ImpactLink.item_id) == item_id))
    session.add_all(ImpactLink(item_id=item_id, code=code) for code in codes)
    session.flush()


def add_item(
    session: Session, actor: Actor, step: ImpactStep, texts: dict[str, str], codes: list[str]
) -> ImpactItem:
    organiser_id = organiser_of(actor)
    text, wanted = clean_texts(texts), clean_codes(codes)
    count, last = session.exec(
        select(func.count(), func.max(ImpactItem.position)).where(
            ImpactItem.organiser_id == organiser_id, ImpactItem.step == step
        )
    ).one()
    if count >= MAX_ITEMS_PER_STEP:
        raise TooManyItems()
    item = ImpactItem(
        organiser_id=organiser_id,
        step=step,
        position=(last or 0) + 1,
        text=text,
        updated_by_id=actor.user_id,
    )
    session.add(item)
    session.flush()
    assert item.id is not None
    _set_links(session, item.id, wanted)
    log_change(session, actor, "impact_item", item.id, action=AuditAction.create)
    return item


def edit_item(
    session: Session, actor: Actor, item_id: int, texts: dict[str, str], codes: list[str]
) -> ImpactItem:
    item = _own_item(session, actor, item_id)
    item.text, wanted = clean_texts(texts), clean_codes(codes)
    item.updated_by_id = actor.user_id
    session.add(item)
    _set_links(session, item_id, wanted)
    log_change(session, actor, "impact_item", item_id, details={"indicators": wanted})
    return item


def remove_item(session: Session, actor: Actor, item_id: int) -> None:
    item = _own_item(session, actor, item_id)
    _set_links(session, item_id, [])
    session.delete(item)
    session.flush()
    log_change(session, actor, "impact_item", item_id, action=AuditAction.delete)


def move(session: Session, actor: Actor, item_id: int, up: bool) -> None:
    """Swap the item with its neighbour in the step (nothing at either end)."""
    item = _own_item(session, actor, item_id)
    siblings = list(
        session.exec(
            select(ImpactItem)
            .where(ImpactItem.organiser_id == item.organiser_id, ImpactItem.step == item.step)
            .order_by(col(ImpactItem.position), col(ImpactItem.id))
        ).all()
    )
    at = next(n for n, s in enumerate(siblings) if s.id == item_id)
    other = at - 1 if up else at + 1
    if not 0 <= other < len(siblings):
        return
    siblings[at], siblings[other] = siblings[other], siblings[at]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            session.add(sibling)
    session.flush()
    log_change(session, actor, "impact_item", item_id, details={"moved": "up" if up else "down"})
