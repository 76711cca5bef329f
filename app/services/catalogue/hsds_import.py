"""Open Referral HSDS 3.0 import: a dataset's services become listings of new providers.

Reads Hebu's own export ({"services": [...]}) and the standard HSDS 3.0 shapes: one service
(`service_full`), one organization with its services (`organization_full`), one service at a
location (`service_at_location_full`), and a page of any of these (`*_list`: {"contents": [...]}).
Each service is checked on its own (the HSDS service schema, then Hebu's rules); a rejected
record is reported with its reason and the others are still imported. Texts are kept in the
language they are written in (see `service_texts`), delivery modes come from Hebu's
delivery-mode attributes or the locations' types, prices are read as exact decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import Session, select

from app.models.offer import DeliveryMode, OfferStatus, Unit
from app.models.organiser import Category, Municipality, Organiser
from app.models.provider import ApprovalStatus, Provider
from app.services.catalogue import listings
from app.services.catalogue.hsds import (
    CATEGORY_LINK,
    DELIVERY_LINK,
    DELIVERY_TAXONOMY,
    LANGUAGE_NAMES,
    service_validator,
)

TEXT_LANGUAGES = ("fi", "sv", "en")
MAX_PRICE = Decimal("100000")
# HSDS location types -> where the service is given.
LOCATION_MODES = {"physical": DeliveryMode.provider, "virtual": DeliveryMode.remote}
INACTIVE = {"inactive", "defunct", "temporarily closed"}
BUSINESS_ID_TYPES = {"y-tunnus", "fi-ytunnus", "business id"}


@dataclass
class Record:
    label: str  # where it is in the document: services[3], contents[0].services[1], ...
    service: dict[str, Any]
    organization: dict[str, Any]
    locations: list[dict[str, Any]]
    empty: bool = False  # an organization listed without its services

    @property
    def name(self) -> str:
        return str(self.service.get("name") or self.organization.get("name") or "")[:80]

    def problem(self, reason: str) -> str:
        return f"{self.label} ({self.name}): {reason}" if self.name else f"{self.label}: {reason}"


def _is_service_at_location(item: dict[str, Any]) -> bool:
    return isinstance(item.get("service"), dict) and "location" in item


def _records_of(item: dict[str, Any], label: str) -> list[Record]:
    if _is_service_at_location(item):
        service = item["service"]
        location = item.get("location") or {}
        org = service.get("organization") or {}
        return [Record(label, service, org, [location] if isinstance(location, dict) else [])]
    if isinstance(item.get("services"), list):  # an organization and its services
        out = []
        for index, service in enumerate(item["services"]):
            if isinstance(service, dict):
                org = service.get("organization") or item
                out.append(Record(f"{label}.services[{index}]", service, org, []))
        return out or [Record(label, {}, item, [], empty=True)]
    if _is_organization(item):  # an organization list's entry: no services in it
        return [Record(label, {}, item, [], empty=True)]
    return [Record(label, item, item.get("organization") or {}, [])]


def _is_organization(item: dict[str, Any]) -> bool:
    service_keys = {"status", "organization", "cost_options", "service_areas", "languages"}
    org_keys = {"website", "legal_status", "tax_status", "organization_identifiers", "logo"}
    return not (service_keys & item.keys()) and bool(org_keys & item.keys())


def records(document: dict[str, Any]) -> list[Record]:
    """Every service of a document in any of the shapes the module docstring names."""
    if isinstance(document.get("contents"), list):  # a page of a list endpoint
        out: list[Record] = []
        for index, item in enumerate(document["contents"]):
            if isinstance(item, dict):
                out.extend(_records_of(item, f"contents[{index}]"))
        return out
    if isinstance(document.get("services"), list) and "name" not in document:  # Hebu's export
        return [
            Record(f"services[{i}]", s, s.get("organization") or {}, [])
            for i, s in enumerate(document["services"])
            if isinstance(s, dict)
        ]
    return _records_of(document, "service" if "services" not in document else "organization")


def service_texts(service: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(title, description) by language, each text under the language it is written in."""
    languages = {str(lang.get("code")) for lang in service.get("languages", []) or []}
    main = "sv" if "sv" in languages and "fi" not in languages else "fi"
    title = {main: str(service["name"])}
    if service.get("alternate_name") and main == "fi":
        title["sv"] = str(service["alternate_name"])
    description = {main: str(service.get("description") or "")}
    carried = service.get("hebu_translations")
    if isinstance(carried, dict):
        for field, texts in (("name", title), ("description", description)):
            given = carried.get(field)
            if isinstance(given, dict) and any(given.get(k) for k in TEXT_LANGUAGES):
                texts.clear()
                texts.update({k: str(given[k]) for k in TEXT_LANGUAGES if given.get(k)})
    return title, {k: v for k, v in description.items() if v}


def _business_id(org: dict[str, Any]) -> str | None:
    for ident in org.get("organization_identifiers", []) or []:
        if str(ident.get("identifier_type", "")).lower() in BUSINESS_ID_TYPES:
            value = str(ident.get("identifier") or "").strip()
            if listings.business_id_valid(value):
                return value
    return None


def _price_cents(service: dict[str, Any]) -> tuple[int | None, str | None, str]:
    """(cents, reason refused, unit) of the first cost option."""
    options = service.get("cost_options") or []
    if not options:
        return None, "no price (cost_options is empty)", "piece"
    cost = options[0]
    unit = str(cost.get("option") or "piece")
    currency = str(cost.get("currency") or "eur").lower()
    if currency != "eur":
        return None, f"price in {currency.upper()}, only euros are accepted", unit
    try:
        amount = Decimal(str(cost.get("amount")))
    except (InvalidOperation, ValueError):
        return None, "price is not a number", unit
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE:
        return None, "price out of range", unit
    cents = amount * 100
    if cents != cents.to_integral_value():
        return None, "price has more than two decimals", unit
    return int(cents), None, unit


def _delivery_modes(record: Record) -> list[str]:
    modes: dict[str, None] = {}
    for attribute in record.service.get("attributes", []) or []:
        term = attribute.get("taxonomy_term") or {}
        ours = (
            attribute.get("link_type") == DELIVERY_LINK or term.get("taxonomy") == DELIVERY_TAXONOMY
        )
        if ours and str(term.get("code")) in DeliveryMode.__members__:
            modes[str(term.get("code"))] = None
    places = [*record.locations]
    for at in record.service.get("service_at_locations", []) or []:
        if isinstance(at, dict) and isinstance(at.get("location"), dict):
            places.append(at["location"])
    for location in places:
        mode = LOCATION_MODES.get(str(location.get("location_type") or ""))
        if mode is not None:
            modes[str(mode)] = None
    return list(modes)


def _category_term(service: dict[str, Any]) -> dict[str, Any]:
    terms = [
        (a.get("link_type"), a.get("taxonomy_term") or {})
        for a in service.get("attributes", []) or []
    ]
    for link, term in terms:
        if link == CATEGORY_LINK:
            return term
    others = [t for link, t in terms if link != DELIVERY_LINK]
    return others[0] if others else {}


def _category(session: Session, organiser: Organiser, term: dict[str, Any]) -> Category:
    slug = str(term.get("code") or "imported")[:60]
    category = session.exec(
        select(Category).where(Category.organiser_id == organiser.id, Category.slug == slug)
    ).first()
    if category is None:
        name = str(term.get("name") or slug)
        category = Category(organiser_id=organiser.id, slug=slug, name={"fi": name, "sv": name})
        session.add(category)
        session.flush()
    return category


def _provider(
    session: Session, org: dict[str, Any], business_id: str, record: Record, problems: list[str]
) -> Provider:
    provider = session.exec(select(Provider).where(Provider.business_id == business_id)).first()
    if provider is not None:
        return provider
    website = str(org.get("website") or "").strip() or None
    if website and not listings.web_address_valid(website):
        problems.append(record.problem("website dropped, not an http(s) address"))
        website = None
    return listings.save_provider(
        session,
        None,
        listings.ProviderInput(
            name=str(org.get("name") or business_id)[:200],
            business_id=business_id,
            contact_email=org.get("email"),
            website=website,
            description={"fi": str(org.get("description") or "")},
        ),
    )


def _refusal(record: Record) -> str | None:
    """Why a record is not imported at all, or None."""
    errors = list(service_validator().iter_errors(record.service))
    if errors:
        first = errors[0]
        where = "/".join(map(str, first.path))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"not a valid HSDS service: {where or 'service'}: {first.message}{more}"
    if str(record.service.get("status") or "active").lower() in INACTIVE:
        return f"status is {record.service.get('status')}, only active services are imported"
    if _business_id(record.organization) is None:
        return "no valid Finnish business ID (Y-tunnus) in organization_identifiers"
    return None


def import_dataset(
    session: Session, document: dict[str, Any], organiser: Organiser, publish: bool = False
) -> tuple[int, list[str]]:
    """Load services as listings of new providers: drafts pending approval, or (publish)
    approved and published. Returns (offers created, one line per rejected record or dropped
    field, with its reason)."""
    assert organiser.id is not None
    found = records(document)
    if not found:
        return 0, ["no services found: not an HSDS 3.0 service, organization or list"]
    created = 0
    problems: list[str] = []
    known = {m for m in session.exec(select(Municipality.code)).all()}
    for record in found:
        if record.empty:
            problems.append(record.problem("an organization without services: nothing to import"))
            continue
        reason = _refusal(record)
        cents, price_reason, unit = _price_cents(record.service)
        reason = reason or price_reason
        if reason or cents is None:
            problems.append(record.problem(reason or "no price"))
            continue
        business_id = _business_id(record.organization)
        assert business_id is not None
        provider = _provider(session, record.organization, business_id, record, problems)
        assert provider.id is not None
        approval = listings.apply_for_approval(session, provider.id, organiser.id)
        if publish and approval.status != ApprovalStatus.approved:
            listings.decide(session, None, approval, ApprovalStatus.approved)
        service = record.service
        codes = [str(lang.get("code")) for lang in service.get("languages", []) or []]
        languages = [c for c in codes if c in LANGUAGE_NAMES]
        if len(languages) < len(codes):
            dropped = ", ".join(sorted(set(codes) - set(languages)))
            problems.append(record.problem(f"languages not offered in Hebu dropped: {dropped}"))
        extents = [str(a.get("extent")) for a in service.get("service_areas", []) or []]
        areas = [e for e in extents if e in known]
        if len(areas) < len(extents):
            problems.append(record.problem("service areas that are not municipality codes dropped"))
        title, description = service_texts(service)
        listings.save_offer(
            session,
            None,
            provider.id,
            listings.OfferInput(
                title=title,
                description=description,
                category_id=_category(session, organiser, _category_term(service)).id or 0,
                unit=unit if unit in Unit.__members__ else Unit.piece,
                unit_price_cents=cents,
                languages=languages,
                delivery_modes=_delivery_modes(record),
                areas=areas,
                status=OfferStatus.published if publish else OfferStatus.draft,
            ),
        )
        created += 1
    return created, problems
