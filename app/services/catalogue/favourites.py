"""A client's shortlist of offers (favourites): the client and an HB assistant acting for them
under a live mandate both see it and change it. Adding and removing are idempotent (removing
marks the row, adding again clears the mark); each change is audited as done for the client
(an assistant's as acting on the client's behalf)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.errors import Forbidden, NotFound
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.base import utcnow
from app.models.favourite import Favourite
from app.models.offer import Offer
from app.repositories.catalogue import public_offers, readable_favourites
from app.repositories.scope import client_side_id
from app.services import audit
from app.services.catalogue import browse


@dataclass(frozen=True)
class Shortlisted:
    favourite: Favourite
    offer: Offer
    view: browse.OfferView | None  # None: no longer in the catalogue (ended, withdrawn)


def _client_of(actor: Actor) -> int:
    client_id = client_side_id(actor)
    if client_id is None:
        raise Forbidden()
    return client_id


def _listed(actor: Actor):  # noqa: ANN202 - a select of the shortlist's rows in force
    return readable_favourites(actor).where(col(Favourite.removed_at).is_(None))


def favourite_ids(session: Session, actor: Actor | None) -> dict[int, int]:
    """Offer id -> favourite id on the shortlist of the client the actor is (or acts for)."""
    if actor is None or client_side_id(actor) is None:
        return {}
    return {f.offer_id: f.id for f in session.exec(_listed(actor)).all() if f.id is not None}


def _audit(session: Session, actor: Actor, action: AuditAction, favourite: Favourite) -> None:
    audit.record(
        session,
        actor,
        action,
        "favourite",
        subject_id=favourite.client_id,
        record_type="favourite",
        record_id=favourite.offer_id,
    )


def add(session: Session, actor: Actor, offer_id: int, today: date) -> Favourite:
    """Put an offer of the catalogue on the shortlist; already there: nothing changes."""
    client_id = _client_of(actor)
    if session.exec(public_offers(today).where(Offer.id == offer_id)).first() is None:
        raise NotFound()
    found = session.exec(readable_favourites(actor).where(Favourite.offer_id == offer_id)).first()
    if found is None:
        found = Favourite(client_id=client_id, offer_id=offer_id, added_by_id=actor.user_id)
        try:
            with session.begin_nested():
                session.add(found)
        except IntegrityError:  # added at the same moment by another request: that one holds
            return session.exec(
                readable_favourites(actor).where(Favourite.offer_id == offer_id)
            ).one()
    elif found.removed_at is None:
        return found
    else:
        found.removed_at = None
        found.added_by_id = actor.user_id
        session.add(found)
        session.flush()
    _audit(session, actor, AuditAction.create, found)
    return found


def remove(session: Session, actor: Actor, favourite_id: int) -> Favourite:
    """Take a favourite off the shortlist; already off: nothing changes. Another client's
    favourite is not found."""
    _client_of(actor)
    found = session.exec(readable_favourites(actor).where(Favourite.id == favourite_id)).first()
    if found is None:
        raise NotFound()
    if found.removed_at is None:
        found.removed_at = utcnow()
        session.add(found)
        session.flush()
        _audit(session, actor, AuditAction.delete, found)
    return found


def shortlist(session: Session, actor: Actor) -> list[Shortlisted]:
    """The shortlist, newest first; an offer that has left the catalogue is kept, marked."""
    _client_of(actor)
    rows = session.exec(
        _listed(actor).order_by(col(Favourite.updated_at).desc(), col(Favourite.id).desc())
    ).all()
    result = []
    for favourite in rows:
        offer = session.get(Offer, favourite.offer_id)
        if offer is None:
            continue
        try:
            view: browse.OfferView | None = browse.public_offer(session, favourite.offer_id)
        except NotFound:
            view = None
        result.append(Shortlisted(favourite, offer, view))
    return result
