"""Providers and their listings: registration, approval decisions, offers with price history.

Every change that can affect the catalogue queues the offers in the search outbox in the same
transaction, so the index follows the database after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

import nh3
from sqlalchemy import delete
from sqlmodel import Session, col, select
from stdnum.fi import ytunnus

from app.errors import Forbidden, Invalid, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.base import utcnow
from app.models.offer import Offer, OfferArea, OfferPrice, OfferStatus
from app.models.organiser import Category, Municipality, Organiser
from app.models.provider import ApprovalStatus, Provider, ProviderApproval, ProviderArea
from app.repositories.catalogue import readable_provider_offers, readable_providers
from app.services import audit, search
from app.services.catalogue import bank
from app.services.notifications import events

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "b", "i"}
MAX_DESCRIPTION = 5000
MAX_PRICE_CENTS = 1_000_000  # 10 000 € per unit is absurd for a listed social service
CHECKLIST = ("register_number", "business_id_valid", "insurance", "self_monitoring_plan")

T = TypeVar("T", Offer, Provider)


def business_id_valid(value: str) -> bool:
    """Finnish Y-tunnus written as 1234567-8; python-stdnum checks the modulo-11 digit."""
    return ytunnus.is_valid(value) and ytunnus.format(value) == value


MAX_WEB_ADDRESS = 300


class InvalidWebAddress(Invalid):
    default_text = lazy_gettext(
        "Enter a web address that starts with https:// or http://, for example https://example.fi."
    )


def web_address_valid(value: str) -> bool:
    """An absolute http(s) address with a host, nothing a browser would run or open locally.

    Refuses javascript:, data:, file: and the like, scheme-relative "//host", addresses without a
    host ("https:/x"), and any whitespace, control character or quote in the text.
    """
    if len(value) > MAX_WEB_ADDRESS or any(c.isspace() or c in '<>"\\' for c in value):
        return False
    if not value.isprintable():
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("https", "http") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={}).strip()


def sanitise_texts(texts: dict[str, str]) -> dict[str, str]:
    return {k: sanitise(v) for k, v in texts.items() if k in ("fi", "sv", "en") and v.strip()}


def swedish_missing(languages: list[str], title_sv: object, description_sv: object) -> list[str]:
    """Swedish is a language of the service but its Swedish texts are not written: which of
    "title" and "description" are missing (a warning; Finnish alone is allowed)."""
    if "sv" not in languages:
        return []
    texts = {"title": title_sv, "description": description_sv}
    return [name for name, text in texts.items() if not str(text or "").strip()]


def known_municipalities(session: Session, codes: list[str]) -> set[str]:
    if not codes:
        return set()
    found = session.exec(select(Municipality.code).where(col(Municipality.code).in_(codes)))
    return set(found.all())


@dataclass
class ProviderInput:
    name: str
    business_id: str
    contact_email: str | None = None
    contact_phone: str | None = None
    website: str | None = None
    soteri_number: str | None = None
    description: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    accessibility: dict[str, str] = field(default_factory=dict)
    iban: str | None = None
    bic: str | None = None


def save_provider(
    session: Session, actor: Actor | None, data: ProviderInput, provider: Provider | None = None
) -> Provider:
    if data.website and not web_address_valid(data.website):
        raise InvalidWebAddress()
    provider = provider or Provider(name=data.name, business_id=data.business_id)
    provider.name = data.name
    provider.business_id = data.business_id
    provider.contact_email = data.contact_email
    provider.contact_phone = data.contact_phone
    provider.website = data.website
    provider.soteri_number = data.soteri_number
    provider.iban, provider.bic = bank.normal("iban", data.iban), bank.normal("bic", data.bic)
    provider.description = sanitise_texts(data.description)
    provider.languages = list(data.languages)
    provider.accessibility = {k: v for k, v in data.accessibility.items() if v}
    session.add(provider)
    session.flush()
    assert provider.id is not None
    session.execute(delete(ProviderArea).where(col(ProviderArea.provider_id) == provider.id))
    for code in sorted(set(data.areas)):
        session.add(ProviderArea(provider_id=provider.id, municipality_code=code))
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.update,
        "provider",
        record_type="provider",
        record_id=provider.id,
    )
    search.enqueue_provider(session, provider.id)
    return provider


def apply_for_approval(session: Session, provider_id: int, organiser_id: int) -> ProviderApproval:
    approval = session.exec(
        select(ProviderApproval).where(
            ProviderApproval.provider_id == provider_id,
            ProviderApproval.organiser_id == organiser_id,
        )
    ).first()
    if approval is None:
        approval = ProviderApproval(provider_id=provider_id, organiser_id=organiser_id)
    elif approval.status in (ApprovalStatus.rejected,):
        approval.status = ApprovalStatus.pending
        approval.reason = None
    session.add(approval)
    session.flush()
    return approval


def decide(
    session: Session,
    actor: Actor | None,
    approval: ProviderApproval,
    status: ApprovalStatus,
    reason: str | None = None,
    checklist: dict[str, Any] | None = None,
) -> ProviderApproval:
    """Approve, reject or suspend; suspension hides the provider's offers at once."""
    approval.status = status
    approval.reason = reason
    if checklist is not None:
        approval.checklist = checklist
    approval.decided_by_id = actor.user_id if actor else None
    approval.decided_at = utcnow()
    session.add(approval)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.update,
        "provider_approval",
        record_type="provider_approval",
        record_id=approval.id,
        details={"status": str(status)},
    )
    search.enqueue_provider(session, approval.provider_id)
    events.approval_decided(session, approval)
    return approval


@dataclass
class OfferInput:
    title: dict[str, str]
    category_id: int
    unit: str
    unit_price_cents: int
    description: dict[str, str] = field(default_factory=dict)
    vat_rate_bp: int | None = None
    delivery_modes: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    capacity_note: dict[str, str] = field(default_factory=dict)
    valid_from: date | None = None
    valid_to: date | None = None
    status: OfferStatus = OfferStatus.draft


def record_denial(session: Session, actor: Actor, record_type: str, record_id: int) -> None:
    """Audit a refused attempt; it is kept although the 403 rolls the request back."""
    audit.record_refusal(session, actor, record_type, record_type=record_type, record_id=record_id)


def _own_or_refused(
    session: Session, actor: Actor, found: T | None, model: type[T], record_id: int
) -> T:
    """`found` through the actor's readable builder; else NotFound for a row that does not
    exist, or an audited refusal (Forbidden) for one of another provider."""
    if found is not None:
        return found
    if session.get(model, record_id) is None:
        raise NotFound()
    record_denial(session, actor, str(model.__tablename__), record_id)
    raise Forbidden()


def editable_offer(session: Session, actor: Actor, offer_id: int) -> Offer:
    """An offer of the actor's own provider; attempts at another's are audited and refused."""
    offer = session.exec(readable_provider_offers(actor).where(Offer.id == offer_id)).first()
    return _own_or_refused(session, actor, offer, Offer, offer_id)


def save_offer(
    session: Session,
    actor: Actor | None,
    provider_id: int,
    data: OfferInput,
    offer: Offer | None = None,
) -> Offer:
    price_changed = offer is None or offer.unit_price_cents != data.unit_price_cents
    offer = offer or Offer(
        provider_id=provider_id,
        category_id=data.category_id,
        title=data.title,
        unit=data.unit,
        unit_price_cents=data.unit_price_cents,
    )
    offer.category_id = data.category_id
    offer.title = {k: v.strip() for k, v in data.title.items() if v and v.strip()}
    offer.description = sanitise_texts(data.description)
    offer.unit = data.unit  # type: ignore[assignment]
    offer.unit_price_cents = data.unit_price_cents
    offer.vat_rate_bp = data.vat_rate_bp
    offer.delivery_modes = list(data.delivery_modes)
    offer.languages = list(data.languages)
    offer.capacity_note = {k: v for k, v in data.capacity_note.items() if v}
    offer.valid_from = data.valid_from
    offer.valid_to = data.valid_to
    offer.status = data.status
    offer.last_checked_at = utcnow()
    session.add(offer)
    session.flush()
    assert offer.id is not None
    if price_changed:
        session.add(
            OfferPrice(
                offer_id=offer.id,
                unit_price_cents=data.unit_price_cents,
                changed_by_id=actor.user_id if actor else None,
            )
        )
    session.execute(delete(OfferArea).where(col(OfferArea.offer_id) == offer.id))
    for code in sorted(set(data.areas)):
        session.add(OfferArea(offer_id=offer.id, municipality_code=code))
    session.flush()
    audit.record(
        session, actor, AuditAction.update, "offer", record_type="offer", record_id=offer.id
    )
    search.enqueue(session, [offer.id])
    return offer


def mark_checked(session: Session, offer: Offer) -> None:
    offer.last_checked_at = utcnow()
    session.add(offer)


def price_history(session: Session, offer_id: int) -> list[OfferPrice]:
    return list(
        session.exec(
            select(OfferPrice).where(OfferPrice.offer_id == offer_id).order_by(col(OfferPrice.id))
        ).all()
    )


@dataclass
class ProviderOverview:
    provider: Provider
    approvals: list[tuple[ProviderApproval, Organiser]]
    offers: list[Offer]
    stale_ids: set[int]
    areas: list[str]


def own_provider(session: Session, actor: Actor, provider_id: int) -> Provider:
    provider = session.exec(readable_providers(actor).where(Provider.id == provider_id)).first()
    return _own_or_refused(session, actor, provider, Provider, provider_id)


def overview(session: Session, provider: Provider) -> ProviderOverview:
    from app.services.catalogue.browse import is_stale

    approvals = list(
        session.exec(
            select(ProviderApproval, Organiser)
            .join(Organiser, col(Organiser.id) == col(ProviderApproval.organiser_id))
            .where(ProviderApproval.provider_id == provider.id)
        ).all()
    )
    offers = list(
        session.exec(select(Offer).where(Offer.provider_id == provider.id).order_by(col(Offer.id)))
    )
    areas = [
        a.municipality_code
        for a in session.exec(select(ProviderArea).where(ProviderArea.provider_id == provider.id))
    ]
    return ProviderOverview(
        provider=provider,
        approvals=[(a, o) for a, o in approvals],
        offers=offers,
        stale_ids={o.id for o in offers if o.id is not None and is_stale(o.last_checked_at)},
        areas=areas,
    )


def provider_categories(session: Session, provider_id: int) -> list[Category]:
    organiser_ids = select(ProviderApproval.organiser_id).where(
        ProviderApproval.provider_id == provider_id
    )
    return list(
        session.exec(
            select(Category)
            .where(col(Category.organiser_id).in_(organiser_ids))
            .order_by(col(Category.organiser_id), col(Category.position))
        )
    )


def offer_areas(session: Session, offer_id: int) -> list[str]:
    return [
        a.municipality_code
        for a in session.exec(select(OfferArea).where(OfferArea.offer_id == offer_id))
    ]


def register_provider(
    session: Session, actor: Actor, data: ProviderInput, organiser_id: int
) -> Provider:
    """A new provider, its first owner (the registering user) and an approval application."""
    from app.models.user import Membership, Role

    provider = save_provider(session, actor, data)
    session.add(
        Membership(user_id=actor.user_id, role=Role.provider_owner, provider_id=provider.id)
    )
    assert provider.id is not None
    apply_for_approval(session, provider.id, organiser_id)
    return provider


def provider_names(session: Session, ids: set[int]) -> dict[int, str]:
    """The names of these providers, by id (for lists of plan lines, services used)."""
    if not ids:
        return {}
    rows = session.exec(select(Provider).where(col(Provider.id).in_(ids))).all()
    return {p.id: p.name for p in rows if p.id is not None}


def organisers(session: Session) -> list[Organiser]:
    return list(session.exec(select(Organiser).order_by(col(Organiser.code))))


def business_id_taken(session: Session, business_id: str, provider_id: int | None = None) -> bool:
    found = session.exec(select(Provider).where(Provider.business_id == business_id)).first()
    return found is not None and found.id != provider_id
