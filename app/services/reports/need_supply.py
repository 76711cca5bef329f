"""Need against supply: the clients' assessed needs by service category and home municipality
(from their newest service-needs self-assessment and the lines of their plan in force) against
the approved supply there: published offers of approved providers, their providers, languages,
delivery modes and price level. Where a need has no offer, or none in the client's language,
it is a gap, listed first.

Needs are research data: consenting clients only (`scope.population`, report
`need_vs_supply`), counts of 1-4 hidden. The supply is public catalogue data. Waiting times are
not recorded in Hebu, and the page says so."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.assessment import Assessment, AssessmentStatus
from app.models.budget import Budget, PlanLine, PlanStatus, PlanVersion
from app.models.offer import Offer, OfferArea, OfferStatus
from app.models.organiser import Municipality, OrganiserMunicipality
from app.models.provider import ApprovalStatus, ProviderApproval, ProviderArea
from app.models.user import Membership
from app.repositories.reports import report_clients, report_organiser_ids
from app.repositories.scope import organiser_clients
from app.services import disclosure, stats
from app.services.assessment import instruments, suggestions
from app.services.disclosure import Cell
from app.services.reports import outcomes
from app.services.reports.data import log_view
from app.services.research import scope

REPORT = "need_vs_supply"
LANGUAGES = ("fi", "sv", "en")


@dataclass
class Supply:
    offers: set[int] = field(default_factory=set)
    providers: set[int] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    modes: set[str] = field(default_factory=set)
    prices: list[int] = field(default_factory=list)
    by_language: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass(frozen=True)
class Row:
    category_id: int
    municipality: str
    need: Cell  # clients with the need
    need_by_language: dict[str, Cell]
    offers: int
    providers: int
    languages: list[str]
    modes: list[str]
    price_low: int | None
    price_median: int | None
    price_high: int | None


@dataclass(frozen=True)
class Gap:
    category_id: int
    municipality: str
    language: str | None  # None: no offer at all; else none in this language
    need: Cell


@dataclass(frozen=True)
class Report:
    counted: int
    eligible: int
    rows: list[Row]
    gaps: list[Gap]
    categories: dict[int, dict[str, Any]]
    municipalities: dict[str, dict[str, str]]  # code -> {fi, sv}
    # main category -> (clients in need anywhere, distinct offers anywhere), for the chart
    totals: dict[int, tuple[Cell, int]] = field(default_factory=dict)


def _newest(key: str, ids: Any) -> Any:
    newest = (
        select(func.max(Assessment.id))
        .where(
            Assessment.instrument_key == key,
            Assessment.status == AssessmentStatus.submitted,
            col(Assessment.client_id).in_(ids),
        )
        .group_by(col(Assessment.client_id))
    )
    return select(Assessment.client_id, Assessment.instrument_version, Assessment.answers).where(
        col(Assessment.id).in_(newest)
    )


def _needs(
    session: Session, population: scope.Population, main_of: dict[str, int], main: dict[int, int]
) -> dict[int, set[int]]:
    """client -> the main categories the client needs: from the newest self-assessment
    (help needed, as the client's own suggestions count it) and the plan in force."""
    needs: dict[int, set[int]] = defaultdict(set)
    for client_id, version, answers in session.exec(_newest("service-needs", population.ids)):
        instrument = instruments.get("service-needs", version)
        if instrument is None:
            continue
        for s in suggestions.suggestions(instrument, answers or {}, municipality=None, lang="fi"):
            if s.category in main_of:
                needs[int(client_id)].add(main_of[s.category])
    for client_id, category_id in session.exec(
        select(Budget.client_id, PlanLine.category_id)
        .join(PlanVersion, col(PlanVersion.budget_id) == Budget.id)
        .join(PlanLine, col(PlanLine.plan_version_id) == PlanVersion.id)
        .where(
            PlanVersion.status == PlanStatus.confirmed,
            col(PlanVersion.superseded).is_(False),
            col(Budget.client_id).in_(population.ids),
        )
        .group_by(col(Budget.client_id), col(PlanLine.category_id))
    ).all():
        needs[int(client_id)].add(main.get(int(category_id), int(category_id)))
    return needs


def _supply(
    session: Session, organisers: set[int], main: dict[int, int], everywhere: list[str]
) -> dict[tuple[int, str], Supply]:
    approved = select(ProviderApproval.provider_id).where(
        col(ProviderApproval.organiser_id).in_(organisers),
        ProviderApproval.status == ApprovalStatus.approved,
    )
    offers = session.exec(
        select(
            Offer.id, Offer.provider_id, Offer.category_id, Offer.languages,
            Offer.delivery_modes, Offer.unit_price_cents,
        ).where(
            Offer.status == OfferStatus.published,
            col(Offer.provider_id).in_(approved),
            col(Offer.category_id).in_(list(main)),
        )
    ).all()  # fmt: skip
    offer_ids = [o[0] for o in offers]
    areas: dict[int, list[str]] = defaultdict(list)
    for offer_id, code in session.exec(
        select(OfferArea.offer_id, OfferArea.municipality_code).where(
            col(OfferArea.offer_id).in_(offer_ids)
        )
    ).all():
        areas[offer_id].append(code)
    provider_areas: dict[int, list[str]] = defaultdict(list)
    for provider_id, code in session.exec(
        select(ProviderArea.provider_id, ProviderArea.municipality_code).where(
            col(ProviderArea.provider_id).in_(approved)
        )
    ).all():
        provider_areas[provider_id].append(code)
    supply: dict[tuple[int, str], Supply] = defaultdict(Supply)
    for offer_id, provider_id, category_id, languages, modes, price in offers:
        where = areas.get(offer_id) or provider_areas.get(provider_id) or everywhere
        for code in where:
            s = supply[(main[category_id], code)]
            s.offers.add(offer_id)
            s.providers.add(provider_id)
            s.languages.update(languages or [])
            s.modes.update(modes or [])
            s.prices.append(price)
            for lang in set(languages or ["fi"]):
                s.by_language[lang] += 1
    return supply


def build(session: Session, actor: Actor, fmt: str = "html") -> Report:
    organisers = report_organiser_ids(actor)
    population = scope.population(session, REPORT, organiser_clients(actor))
    categories, main = outcomes.categories(session, organisers)
    main_of = {c.slug: main[c.id] for c in categories if c.id is not None}
    home: dict[int, str] = {}
    for user_id, municipality, _group in session.exec(
        report_clients(actor).where(col(Membership.user_id).in_(population.ids))
    ).all():
        if municipality:
            home[int(user_id)] = municipality
    language: dict[int, str] = {}
    for client_id, _version, answers in session.exec(_newest("profile", population.ids)):
        language[int(client_id)] = suggestions.preferred_language(answers, "fi")
    needs = _needs(session, population, main_of, main)
    everywhere = list(
        session.exec(
            select(OrganiserMunicipality.municipality_code).where(
                col(OrganiserMunicipality.organiser_id).in_(organisers)
            )
        ).all()
    )
    supply = _supply(session, organisers, main, everywhere)
    needing: dict[tuple[int, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for client_id, wanted in needs.items():
        code = home.get(client_id)
        if code is None:
            continue
        for category_id in wanted:
            needing[(category_id, code)][language.get(client_id, "fi")].add(client_id)
    rows: list[Row] = []
    gaps: list[Gap] = []
    for key in sorted(set(needing) | set(supply)):
        by_lang = needing.get(key, {})
        total = len(set().union(*by_lang.values())) if by_lang else 0
        s = supply.get(key, Supply())
        rows.append(
            Row(
                category_id=key[0],
                municipality=key[1],
                need=disclosure.count(total),
                need_by_language={
                    lang: disclosure.count(len(by_lang.get(lang, ()))) for lang in LANGUAGES
                },
                offers=len(s.offers),
                providers=len(s.providers),
                languages=sorted(s.languages),
                modes=sorted(s.modes),
                price_low=min(s.prices) if s.prices else None,
                price_median=int(m) if (m := stats.median(s.prices)) is not None else None,
                price_high=max(s.prices) if s.prices else None,
            )
        )
        if total and not s.offers:
            gaps.append(Gap(key[0], key[1], None, disclosure.count(total)))
            continue
        for lang, clients in sorted(by_lang.items()):
            if clients and not s.by_language.get(lang):
                gaps.append(Gap(key[0], key[1], lang, disclosure.count(len(clients))))
    in_need: dict[int, set[int]] = defaultdict(set)
    offered: dict[int, set[int]] = defaultdict(set)
    for (category_id, _code), by_lang in needing.items():
        for clients in by_lang.values():
            in_need[category_id] |= clients
    for (category_id, _code), s in supply.items():
        offered[category_id] |= s.offers
    totals = {
        k: (disclosure.count(len(in_need.get(k, ()))), len(offered.get(k, ())))
        for k in sorted(set(in_need) | set(offered))
    }
    names = {
        code: {"fi": fi, "sv": sv}
        for code, fi, sv in session.exec(
            select(Municipality.code, Municipality.name_fi, Municipality.name_sv)
        ).all()
    }
    log_view(session, actor, REPORT, fmt)
    return Report(
        counted=population.n,
        eligible=population.total,
        rows=rows,
        gaps=sorted(gaps, key=lambda g: (g.language is not None, g.category_id, g.municipality)),
        categories={c.id: c.name for c in categories if c.id is not None},
        municipalities=names,
        totals=totals,
    )
