"""Provider effect evidence: per provider and per category, the mean wellbeing change and goal
attainment of the clients who used the services, with n and a 95 % interval, next to price.

Observational: clients chose their providers, so a difference may come from who chose whom,
not from the service. Rows with fewer than five clients are suppressed."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models.offer import Offer, OfferStatus
from app.services import disclosure
from app.services.disclosure import Cell
from app.services.reports.data import CONFIRMED_DELIVERY, DeliveryRow, Snapshot


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


def _clients_by(snap: Snapshot, key: Callable[[DeliveryRow], int]) -> dict[int, set[int]]:
    """The clients who used confirmed deliveries, grouped by `key` (comparison clients out)."""
    groups: dict[int, set[int]] = defaultdict(set)
    for d in snap.deliveries:
        if d.status in CONFIRMED_DELIVERY and not snap.clients.get(d.client_id, _NO).comparison:
            groups[key(d)].add(d.client_id)
    return groups


class _No:
    comparison = True


_NO = _No()


def _median_prices(
    offers: Iterable[tuple[int, int]], key: Callable[[int], int] = lambda k: k
) -> dict[int, int]:
    """The median (low) published unit price per group; a median of 0 is left out."""
    prices: dict[int, list[int]] = defaultdict(list)
    for k, price in offers:
        prices[key(k)].append(price)
    return {k: m for k, v in prices.items() if (m := int(statistics.median_low(v)))}


def by_provider(session: Session, snap: Snapshot) -> list[EffectRow]:
    groups = _clients_by(snap, lambda d: d.provider_id)
    offers = session.exec(
        select(Offer.provider_id, Offer.unit_price_cents).where(
            col(Offer.provider_id).in_(list(groups)), Offer.status == OfferStatus.published
        )
    ).all()
    names: dict[int, object] = {k: p.name for k, p in snap.providers.items()}
    return _rows(snap, groups, names, _median_prices(offers))


def by_category(session: Session, snap: Snapshot) -> list[EffectRow]:
    groups = _clients_by(snap, lambda d: snap.main_category(d.category_id))
    offers = session.exec(
        select(Offer.category_id, Offer.unit_price_cents).where(
            Offer.status == OfferStatus.published,
            col(Offer.category_id).in_(list(snap.categories)),
        )
    ).all()
    names: dict[int, object] = {k: c.name for k, c in snap.categories.items()}
    return _rows(snap, groups, names, _median_prices(offers, snap.main_category))
