"""Listing staleness, run as a scheduled job: a published listing its provider has not checked
for twelve months (`browse.STALE_AFTER`) is announced to the provider's owners and editors,
once per listing and check (checking it again starts a new year)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.models.offer import Offer, OfferStatus
from app.models.user import Membership, Role
from app.services.catalogue.browse import is_stale
from app.services.notifications.kinds import Kind
from app.services.notifications.service import notify

PROVIDER_ROLES = (Role.provider_owner, Role.provider_editor)


def notify_stale_listings(session: Session, now: datetime) -> int:
    """Tell providers about listings not checked for a year; returns how many listings."""
    published = session.exec(
        select(Offer).where(Offer.status == OfferStatus.published).order_by(col(Offer.id))
    ).all()
    stale = [offer for offer in published if is_stale(offer.last_checked_at, now)]
    for offer in stale:
        members = session.exec(
            select(Membership.user_id).where(
                Membership.provider_id == offer.provider_id,
                col(Membership.role).in_(PROVIDER_ROLES),
            )
        ).all()
        checked = offer.last_checked_at.date().isoformat()
        key = f"listing_stale:{offer.id}:{checked}"
        link = f"/tuottaja/palvelut/{offer.id}"  # where "checked" is one button
        notify(session, sorted(set(members)), Kind.listing_stale, key, link, offer_id=offer.id)
    session.flush()
    return len(stale)
