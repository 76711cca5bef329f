"""Open Referral HSDS 3.0: export the approved catalogue, import a dataset as listings.

The JSON schema files shipped in app/data/hsds-3.0 (CC BY-SA 4.0, Open Referral) validate
every exported service. Fields Hebu keeps and HSDS lacks are mapped as follows: the Swedish
title goes to `alternate_name`, the unit to the cost option's `option`, the category to an
attribute whose taxonomy term code is the category slug, areas to service areas whose
`extent` is the municipality code (extent_type "text"). HSDS has one language per field, so
the texts in every language also travel in `hebu_translations` ({"name": {"fi": .., "sv": ..},
"description": {..}}; the schema allows extra fields); without it, an import reads `name` and
`description` in the service's language: Swedish when its languages name Swedish and not Finnish.
"""

from __future__ import annotations

import json
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlmodel import Session, col, select

from app.models.offer import Offer, OfferArea, OfferStatus, Unit
from app.models.organiser import Category, Municipality, Organiser
from app.models.provider import ApprovalStatus, Provider
from app.repositories.catalogue import public_offers
from app.services.catalogue import listings
from app.services.catalogue.browse import today

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "hsds-3.0"
NAMESPACE = uuid.UUID("6f1c1f0e-4d1b-4a53-9a0e-0b6b6d2f7c11")
LANGUAGE_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


def _clean(value: Any) -> Any:
    """Drop absent (None) fields: HSDS types them as strings, not nullable."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _id(kind: str, value: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"hebu:{kind}:{value}"))


@lru_cache(maxsize=1)
def service_validator() -> Draft202012Validator:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, DRAFT202012)))
    registry: Registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMA_DIR / "service.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=registry)


def validation_errors(document: dict[str, Any]) -> list[str]:
    validator = service_validator()
    problems: list[str] = []
    for index, service in enumerate(document.get("services", [])):
        for error in validator.iter_errors(service):
            problems.append(f"services[{index}]/{'/'.join(map(str, error.path))}: {error.message}")
    return problems


def _organization(provider: Provider) -> dict[str, Any]:
    org_id = _id("provider", provider.id)
    return {
        "id": org_id,
        "name": provider.name,
        "description": provider.description.get("fi") or provider.description.get("sv") or "",
        "email": provider.contact_email,
        "website": provider.website,
        "organization_identifiers": [
            {
                "id": _id("business-id", provider.business_id),
                "organization_id": org_id,
                "identifier_scheme": "FI-PRO",
                "identifier_type": "Y-tunnus",
                "identifier": provider.business_id,
            }
        ],
    }


def _service(session: Session, offer: Offer, provider: Provider, category: Category) -> dict:
    service_id = _id("offer", offer.id)
    codes = [
        a.municipality_code
        for a in session.exec(select(OfferArea).where(OfferArea.offer_id == offer.id))
    ]
    names = {
        m.code: m.name_fi
        for m in session.exec(select(Municipality).where(col(Municipality.code).in_(codes)))
    }
    service: dict[str, Any] = {
        "id": service_id,
        "organization_id": _id("provider", provider.id),
        "name": offer.title.get("fi") or offer.title.get("sv") or "",
        "alternate_name": offer.title.get("sv") if offer.title.get("fi") else None,
        "description": offer.description.get("fi") or offer.description.get("sv") or "",
        "status": "active",
        "assured_date": offer.last_checked_at.date().isoformat(),
        "last_modified": offer.updated_at.isoformat(),
        "organization": _organization(provider),
        "cost_options": [
            {
                "id": _id("price", offer.id),
                "service_id": service_id,
                "valid_from": offer.valid_from.isoformat() if offer.valid_from else None,
                "valid_to": offer.valid_to.isoformat() if offer.valid_to else None,
                "option": str(offer.unit),
                "currency": offer.currency,
                "amount": offer.unit_price_cents / 100,
                "amount_description": f"EUR per {offer.unit}",
            }
        ],
        "service_areas": [
            {
                "id": _id(f"area-{offer.id}", code),
                "service_id": service_id,
                "name": names.get(code, code),
                "extent": code,
                "extent_type": "text",
            }
            for code in sorted(codes)
        ],
        "languages": [
            {
                "id": _id(f"lang-{offer.id}", code),
                "service_id": service_id,
                "name": LANGUAGE_NAMES.get(code, code),
                "code": code,
            }
            for code in offer.languages
        ],
        "hebu_translations": {
            "name": {k: v for k, v in offer.title.items() if v},
            "description": {k: v for k, v in offer.description.items() if v},
        },
        "attributes": [
            {
                "id": _id(f"cat-{offer.id}", category.id),
                "link_id": service_id,
                "taxonomy_term_id": _id("category", category.id),
                "link_type": "category",
                "link_entity": "service",
                "taxonomy_term": {
                    "id": _id("category", category.id),
                    "code": category.slug,
                    "name": category.name.get("fi", category.slug),
                    "description": category.name.get("en") or category.name.get("fi", ""),
                },
            }
        ],
    }
    return _clean(service)  # type: ignore[no-any-return]


def export(session: Session) -> dict[str, Any]:
    """The approved, published, valid catalogue as HSDS services with their organizations."""
    offers = session.exec(public_offers(today()).order_by(col(Offer.id))).all()
    providers: dict[int, Provider] = {}
    categories: dict[int, Category] = {}
    services = []
    for offer in offers:
        provider = providers.get(offer.provider_id) or session.get(Provider, offer.provider_id)
        category = categories.get(offer.category_id) or session.get(Category, offer.category_id)
        if provider is None or category is None:
            continue
        providers[offer.provider_id] = provider
        categories[offer.category_id] = category
        services.append(_service(session, offer, provider, category))
    return {"hsds_version": "3.0", "services": services}


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


TEXT_LANGUAGES = ("fi", "sv", "en")


def service_texts(service: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(title, description) by language, each text under the language it is written in."""
    languages = {str(lang.get("code")) for lang in service.get("languages", [])}
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


def import_dataset(
    session: Session, document: dict[str, Any], organiser: Organiser, publish: bool = False
) -> tuple[int, list[str]]:
    """Load services as listings of new providers: drafts pending approval, or (publish)
    approved and published. Returns (offers created, problems with skipped entries)."""
    problems = validation_errors(document)
    if problems:
        return 0, problems
    assert organiser.id is not None
    created = 0
    skipped: list[str] = []
    known = {m for m in session.exec(select(Municipality.code)).all()}
    for index, service in enumerate(document.get("services", [])):
        org = service.get("organization") or {}
        business_id = next(
            (
                i.get("identifier")
                for i in org.get("organization_identifiers", [])
                if i.get("identifier_type") == "Y-tunnus"
            ),
            None,
        )
        if not business_id or not listings.business_id_valid(str(business_id)):
            skipped.append(f"services[{index}]: no valid Y-tunnus")
            continue
        provider = session.exec(select(Provider).where(Provider.business_id == business_id)).first()
        if provider is None:
            website = str(org.get("website") or "").strip() or None
            if website and not listings.web_address_valid(website):
                skipped.append(f"services[{index}]: website dropped, not an http(s) address")
                website = None
            provider = listings.save_provider(
                session,
                None,
                listings.ProviderInput(
                    name=str(org.get("name") or business_id)[:200],
                    business_id=str(business_id),
                    contact_email=org.get("email"),
                    website=website,
                    description={"fi": str(org.get("description") or "")},
                ),
            )
        assert provider.id is not None
        approval = listings.apply_for_approval(session, provider.id, organiser.id)
        if publish and approval.status != ApprovalStatus.approved:
            listings.decide(session, None, approval, ApprovalStatus.approved)
        cost = (service.get("cost_options") or [{}])[0]
        unit = str(cost.get("option") or "piece")
        terms = [a.get("taxonomy_term") or {} for a in service.get("attributes", [])]
        category = _category(session, organiser, terms[0] if terms else {})
        title, description = service_texts(service)
        listings.save_offer(
            session,
            None,
            provider.id,
            listings.OfferInput(
                title=title,
                description=description,
                category_id=category.id or 0,
                unit=unit if unit in Unit.__members__ else Unit.piece,
                unit_price_cents=round(float(cost.get("amount") or 0) * 100),
                languages=[
                    str(lang.get("code"))
                    for lang in service.get("languages", [])
                    if lang.get("code")
                ],
                areas=[
                    str(a.get("extent"))
                    for a in service.get("service_areas", [])
                    if str(a.get("extent")) in known
                ],
                status=OfferStatus.published if publish else OfferStatus.draft,
            ),
        )
        created += 1
    return created, skipped
