"""Provider effect evidence: per provider and per category, the mean wellbeing change and goal
attainment of the clients who used the services, with n and a 95 % interval, next to price.

Observational: clients chose their providers, so a difference may come from who chose whom,
not from the service. Rows with fewer than five clients are suppressed."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models.offer import Offer, OfferStatus
from app.services import disclosure
from app.services.disclosure import Cell
from app.services.reports.data import CONFIRMED_DELIVERY, Snapshot


@dataclass(frozen=True)
class EffectRow:
    key: int
    name: object  # provider name (str) or category name (dict of languages)
    clients: int
    wellbeing: Cell  # change in the life-situation score, 0-10 scale points
    goals: Cell  # mean GAS T-score
    price_cents: int | None  # median unit price of the published offers (public data)

    @property
    def suppressed(self) -> bool:
        return self.wellbeing.suppressed and self.goals.suppressed


def wellbeing_changes(snap: Snapshot) -> dict[int, float]:
    """Each client's latest minus first life-situation score (clients with two or more)."""
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    seen: dict[int, int] = defaultdict(int)
    for s in snap.life:
        first.setdefault(s.client_id, s.score)
        last[s.client_id] = s.score
        seen[s.client_id] += 1
    return {c: last[c] - first[c] for c in first if seen[c] >= 2}


def _rows(
    snap: Snapshot, groups: dict[int, set[int]], names: dict[int, object], prices: dict[int, int]
) -> list[EffectRow]:
    changes = wellbeing_changes(snap)
    rows = []
    for key, clients in groups.items():
        t_scores = [t for c in sorted(clients) if (t := snap.t_score(c)) is not None]
        rows.append(
            EffectRow(
                key=key,
                name=names.get(key, "?"),
                clients=len(clients),
                wellbeing=disclosure.mean([changes[c] for c in sorted(clients) if c in changes]),
                goals=disclosure.mean(t_scores),
                price_cents=prices.get(key),
            )
        )
    return sorted(rows, key=lambda r: str(r.name))


def _used(snap: Snapshot) -> list:
    return [
        d
        for d in snap.deliveries
        if d.status in CONFIRMED_DELIVERY and not snap.clients.get(d.client_id, _NO).comparison
    ]


class _No:
    comparison = True


_NO = _No()


def _median_price(prices: list[int]) -> int | None:
    return int(statistics.median_low(prices)) if prices else None


def by_provider(session: Session, snap: Snapshot) -> list[EffectRow]:
    groups: dict[int, set[int]] = defaultdict(set)
    for d in _used(snap):
        groups[d.provider_id].add(d.client_id)
    offers = session.exec(
        select(Offer.provider_id, Offer.unit_price_cents).where(
            col(Offer.provider_id).in_(list(groups)), Offer.status == OfferStatus.published
        )
    ).all()
    prices: dict[int, list[int]] = defaultdict(list)
    for provider_id, price in offers:
        prices[provider_id].append(price)
    names: dict[int, object] = {k: p.name for k, p in snap.providers.items()}
    return _rows(snap, groups, names, {k: m for k, v in prices.items() if (m := _median_price(v))})


def by_category(session: Session, snap: Snapshot) -> list[EffectRow]:
    groups: dict[int, set[int]] = defaultdict(set)
    for d in _used(snap):
        groups[snap.main_category(d.category_id)].add(d.client_id)
    offers = session.exec(
        select(Offer.category_id, Offer.unit_price_cents).where(
            Offer.status == OfferStatus.published,
            col(Offer.category_id).in_(list(snap.categories)),
        )
    ).all()
    prices: dict[int, list[int]] = defaultdict(list)
    for category_id, price in offers:
        prices[snap.main_category(category_id)].append(price)
    names: dict[int, object] = {k: c.name for k, c in snap.categories.items()}
    return _rows(snap, groups, names, {k: m for k, v in prices.items() if (m := _median_price(v))})
