"""Open Referral HSDS 3.0: export the approved catalogue (the import is hsds_import.py).

The JSON schema files shipped in app/data/hsds-3.0 (CC BY-SA 4.0, Open Referral) validate
every exported service. Fields Hebu keeps and HSDS lacks are mapped as follows: the Swedish
title goes to `alternate_name`, the unit to the cost option's `option`, the category to an
attribute whose taxonomy term code is the category slug, areas to service areas whose
`extent` is the municipality code (extent_type "text"). HSDS has one language per field, so
the texts in every language also travel in `hebu_translations` ({"name": {"fi": .., "sv": ..},
"description": {..}}; the schema allows extra fields); without it, an import reads `name` and
`description` in the service's language: Swedish when its languages name Swedish and not Finnish.
Delivery modes travel as attributes (link_type "delivery_mode", taxonomy "hebu-delivery-mode",
code home/provider/remote). Prices are exact: cents / 100 as a decimal number.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlmodel import Session, col, select

from app.models.offer import Offer, OfferArea
from app.models.organiser import Category, Municipality
from app.models.provider import Provider
from app.repositories.catalogue import public_offers
from app.services.catalogue.browse import today

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "hsds-3.0"
NAMESPACE = uuid.UUID("6f1c1f0e-4d1b-4a53-9a0e-0b6b6d2f7c11")
LANGUAGE_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}
DELIVERY_LINK = "delivery_mode"
DELIVERY_TAXONOMY = "hebu-delivery-mode"
DELIVERY_NAMES = {"home": "at the client's home", "provider": "at the provider", "remote": "remote"}
CATEGORY_LINK = "category"


def json_number(value: Any) -> Any:
    """`json.dumps(default=...)`: an exact price (Decimal) as a JSON number, at the text edge."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


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
                "amount": Decimal(offer.unit_price_cents) / 100,
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
            *(
                {
                    "id": _id(f"mode-{offer.id}", mode),
                    "link_id": service_id,
                    "taxonomy_term_id": _id("delivery-mode", mode),
                    "link_type": DELIVERY_LINK,
                    "link_entity": "service",
                    "taxonomy_term": {
                        "id": _id("delivery-mode", mode),
                        "code": str(mode),
                        "name": str(mode),
                        "description": DELIVERY_NAMES.get(str(mode), str(mode)),
                        "taxonomy": DELIVERY_TAXONOMY,
                    },
                }
                for mode in offer.delivery_modes
            ),
            {
                "id": _id(f"cat-{offer.id}", category.id),
                "link_id": service_id,
                "taxonomy_term_id": _id("category", category.id),
                "link_type": CATEGORY_LINK,
                "link_entity": "service",
                "taxonomy_term": {
                    "id": _id("category", category.id),
                    "code": category.slug,
                    "name": category.name.get("fi", category.slug),
                    "description": category.name.get("en") or category.name.get("fi", ""),
                },
            },
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
