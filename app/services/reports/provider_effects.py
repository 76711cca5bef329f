"""A provider's own effect evidence: the wellbeing change and goal attainment of the clients who
used its services, and their effect ratings, overall and for each of its offers.

Observational (clients chose the provider), consenting clients only (`scope.population`, the
report `provider_own_effects`), small cells hidden. A provider sees only its own figures: the
providers are the actor's own memberships, never a parameter. When the clients of the hidden
offers would be the difference between the overall figure and the shown offers, the smallest
shown offer is hidden too (complementary suppression), so no single client's data can be
worked out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.budget import Budget
from app.models.ledger import Delivery
from app.models.offer import Offer
from app.models.provider import Provider
from app.models.rating import Rating
from app.services import disclosure
from app.services.reports import outcomes
from app.services.reports.data import CONFIRMED_DELIVERY, log_view
from app.services.reports.outcomes import Evidence
from app.services.research import scope

REPORT = "provider_own_effects"


@dataclass(frozen=True)
class OfferEvidence:
    offer_id: int
    title: dict[str, Any]
    evidence: Evidence


@dataclass(frozen=True)
class ProviderEvidence:
    provider_id: int
    name: str
    counted: int  # consenting clients (n) ...
    eligible: int  # ... of the clients with a confirmed delivery (N)
    overall: Evidence
    offers: list[OfferEvidence]


def _eligible(provider_id: int) -> Any:
    """The clients with at least one confirmed delivery from the provider."""
    return (
        select(Budget.client_id)
        .join(Delivery, col(Delivery.budget_id) == Budget.id)
        .where(Delivery.provider_id == provider_id, col(Delivery.status).in_(CONFIRMED_DELIVERY))
    )


def _of_provider(session: Session, provider: Provider) -> ProviderEvidence:
    pid = provider.id or 0
    population = scope.population(session, REPORT, _eligible(pid))
    used = outcomes.uses(session, population, Delivery.provider_id == pid)
    found = outcomes.outcomes(session, population)
    by_offer = outcomes.effect_ratings(
        session, population, Rating.offer_id, Rating.provider_id == pid
    )
    overall_ratings = outcomes.effect_ratings(
        session, population, Rating.provider_id, Rating.provider_id == pid
    ).get(pid, {})
    clients: dict[int, set[int]] = defaultdict(set)
    for use in used:
        clients[use.offer_id].add(use.client_id)
    titles = {
        o.id: o.title
        for o in session.exec(select(Offer).where(col(Offer.id).in_(list(clients)))).all()
        if o.id is not None
    }
    offers = [
        OfferEvidence(
            oid, titles.get(oid, {}), outcomes.summarise(ids, found, by_offer.get(oid, {}))
        )
        for oid, ids in clients.items()
    ]
    everyone = {u.client_id for u in used}
    overall = outcomes.summarise(everyone, found, overall_ratings)
    return ProviderEvidence(
        pid, provider.name, population.n, population.total, overall, _protect(offers, clients)
    )


def _protect(offers: list[OfferEvidence], clients: dict[int, set[int]]) -> list[OfferEvidence]:
    """Complementary suppression: while the clients seen only in hidden offers are 1-4 (the
    overall figure minus the shown offers would describe them), hide the smallest shown offer
    too. Then sorted: shown offers first, by title."""
    everyone = set().union(*clients.values()) if clients else set()
    while True:
        shown = [o for o in offers if not o.evidence.suppressed]
        covered = set().union(*(clients[o.offer_id] for o in shown)) if shown else set()
        if not shown or not disclosure.too_small(len(everyone - covered)):
            break
        smallest = min(shown, key=lambda o: (len(clients[o.offer_id]), o.offer_id))
        n = len(clients[smallest.offer_id])
        offers = [
            OfferEvidence(o.offer_id, o.title, outcomes.hidden_evidence(n)) if o is smallest else o
            for o in offers
        ]
    return sorted(offers, key=lambda o: (o.evidence.suppressed, str(o.title.get("fi", ""))))


def evidence(session: Session, actor: Actor, fmt: str = "html") -> list[ProviderEvidence]:
    """The evidence of each provider the actor is a member of (audit-logged as a report view)."""
    ids = sorted(actor.provider_ids())
    providers = session.exec(select(Provider).where(col(Provider.id).in_(ids))).all()
    found = [_of_provider(session, p) for p in sorted(providers, key=lambda p: p.id or 0)]
    log_view(session, actor, REPORT, fmt)
    return found
