"""Value for money: per main service category, the price level of the approved offers against
the effect seen in the clients who used them (wellbeing change, goal attainment, effect
ratings), the mean spending per client, and the wellbeing change per 1 000 € spent — the
basis for outcome-based procurement.

Observational and consent-scoped (`scope.population`, report `value_for_money`); every cell
follows the small-cell rule and carries its n and 95 % interval. The effect per 1 000 € divides
the mean change and its interval by the mean spending per client (the spending is treated as
known, so the interval is the change's)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.budget import Budget
from app.models.offer import Offer, OfferStatus
from app.models.provider import ApprovalStatus, ProviderApproval
from app.repositories.reports import report_organiser_ids
from app.repositories.scope import organiser_clients
from app.services import disclosure, stats
from app.services.disclosure import Cell
from app.services.reports import outcomes
from app.services.reports.data import log_view
from app.services.reports.outcomes import Evidence
from app.services.research import scope

REPORT = "value_for_money"
PER_EUROS = 1_000


@dataclass(frozen=True)
class Row:
    category_id: int
    name: dict[str, Any]
    price_cents: int | None  # median unit price of the approved published offers
    offers: int
    evidence: Evidence
    spent: Cell  # mean spending per client, cents
    per_thousand: Cell  # wellbeing change points per 1 000 € spent per client


@dataclass(frozen=True)
class Report:
    counted: int
    eligible: int
    rows: list[Row]


def _per_thousand(change: Cell, spent: Cell) -> Cell:
    if change.suppressed or spent.suppressed:
        return disclosure.hidden(change.n)
    if change.value is None or not spent.value:
        return disclosure.cell(None, change.n)
    thousands = spent.value / 100 / PER_EUROS

    def scaled(x: float | None) -> float | None:
        return None if x is None else round(x / thousands, 2)

    return disclosure.cell(scaled(change.value), change.n, scaled(change.low), scaled(change.high))


def build(session: Session, actor: Actor, fmt: str = "html") -> Report:
    organisers = report_organiser_ids(actor)
    population = scope.population(session, REPORT, organiser_clients(actor))
    categories, main = outcomes.categories(session, organisers)
    used = outcomes.uses(session, population, col(Budget.organiser_id).in_(organisers))
    found = outcomes.outcomes(session, population)
    clients: dict[int, set[int]] = defaultdict(set)
    spent: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for use in used:
        key = main.get(use.category_id, use.category_id)
        clients[key].add(use.client_id)
        spent[key][use.client_id] += use.spent_cents
    rated: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for category_id, by_client in outcomes.effect_ratings(
        session, population, Offer.category_id, col(Offer.category_id).in_(list(main))
    ).items():
        for client_id, mean in by_client.items():
            rated[main[category_id]][client_id].append(mean)
    approved = select(ProviderApproval.provider_id).where(
        col(ProviderApproval.organiser_id).in_(organisers),
        ProviderApproval.status == ApprovalStatus.approved,
    )
    prices: dict[int, list[int]] = defaultdict(list)
    for category_id, price in session.exec(
        select(Offer.category_id, Offer.unit_price_cents).where(
            Offer.status == OfferStatus.published,
            col(Offer.provider_id).in_(approved),
            col(Offer.category_id).in_(list(main)),
        )
    ).all():
        prices[main[category_id]].append(price)
    names = {c.id: c.name for c in categories if c.id is not None}
    rows = []
    for key in sorted(set(clients) | set(prices), key=lambda k: str(names.get(k, {}).get("fi"))):
        ratings = {c: sum(v) / len(v) for c, v in rated.get(key, {}).items()}
        evidence = outcomes.summarise(clients.get(key, ()), found, ratings)
        mean_spent = disclosure.mean(list(spent.get(key, {}).values()), digits=0)
        median = stats.median(prices.get(key, []))
        rows.append(
            Row(
                category_id=key,
                name=names.get(key, {}),
                price_cents=None if median is None else int(median),
                offers=len(prices.get(key, [])),
                evidence=evidence,
                spent=mean_spent,
                per_thousand=_per_thousand(evidence.wellbeing, mean_spent),
            )
        )
    log_view(session, actor, REPORT, fmt)
    return Report(population.n, population.total, rows)
