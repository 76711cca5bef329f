"""Mandates: a client lets an HB assistant of their organiser act for them.

A mandate is live while it is not revoked and its last day has not passed. The assistant's
acting session is checked against it on every request (app.deps), so revoking takes effect
at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.errors import AppError, Forbidden, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor, MandateScope
from app.models.audit import AuditAction
from app.models.base import utcnow
from app.models.mandate import Mandate, MandateStatus
from app.models.user import Membership, Role, User
from app.repositories.identity import (
    given_mandates,
    readable_caseload_membership,
    received_mandates,
)
from app.repositories.scope import live_mandates
from app.services import audit
from app.services.identity.users import client_membership
from app.services.notifications import events

CATEGORY = "mandate"
FINLAND = ZoneInfo("Europe/Helsinki")


class MandateError(AppError):
    status_code = 422

    def __init__(self, message: object, field: str) -> None:
        super().__init__(message)
        self.field = field


class MandateEnded(AppError):
    """The mandate an assistant was acting under has expired or was revoked."""

    status_code = 409

    default_text = lazy_gettext(
        "The mandate you were acting under has ended or was revoked. Nothing was saved. "
        "You are no longer acting for the client."
    )


@dataclass(frozen=True)
class MandateRow:
    mandate: Mandate
    client: User
    assistant: User
    status: MandateStatus


def today() -> date:
    """Today in Finland: a mandate is valid through its last day, Finnish time."""
    return utcnow().astimezone(FINLAND).date()


def status_of(mandate: Mandate, on: date | None = None) -> MandateStatus:
    if mandate.revoked_at is not None:
        return MandateStatus.revoked
    if mandate.valid_until < (on or today()):
        return MandateStatus.expired
    return MandateStatus.live


def _rows(session: Session, mandates: list[Mandate]) -> list[MandateRow]:
    ids = {m.client_user_id for m in mandates} | {m.assistant_user_id for m in mandates}
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids))).all()}
    return [
        MandateRow(m, users[m.client_user_id], users[m.assistant_user_id], status_of(m))
        for m in mandates
    ]


def mandates_of_client(session: Session, client_user_id: int) -> list[MandateRow]:
    mandates = session.exec(
        select(Mandate)
        .where(Mandate.client_user_id == client_user_id)
        .order_by(col(Mandate.created_at).desc(), col(Mandate.id).desc())
    ).all()
    return _rows(session, list(mandates))


def live_mandates_for_assistant(session: Session, assistant_user_id: int) -> list[MandateRow]:
    mandates = session.exec(
        live_mandates(assistant_user_id, today()).order_by(col(Mandate.id))
    ).all()
    return _rows(session, list(mandates))


def live_mandate(session: Session, mandate_id: int, assistant_user_id: int) -> Mandate | None:
    """The mandate if it is live and given to this assistant; else None."""
    live = live_mandates(assistant_user_id, today()).where(Mandate.id == mandate_id)
    return session.exec(live).first()


def assistants_for_client(session: Session, client_user_id: int) -> list[User]:
    """HB assistants of the client's organiser: the people a client can give a mandate to."""
    membership = client_membership(session, client_user_id)
    if membership is None or membership.organiser_id is None:
        return []
    return list(
        session.exec(
            select(User)
            .join(Membership, col(Membership.user_id) == col(User.id))
            .where(
                Membership.role == Role.assistant,
                Membership.organiser_id == membership.organiser_id,
                col(User.is_active).is_(True),
            )
            .order_by(col(User.display_name))
        ).all()
    )


def _check_terms(
    session: Session, client_user_id: int, assistant_user_id: int, scopes: list[str], until: date
) -> list[str]:
    if assistant_user_id not in {u.id for u in assistants_for_client(session, client_user_id)}:
        raise MandateError(lazy_gettext("Choose an HB assistant from the list."), "assistant_id")
    chosen = [s.value for s in MandateScope if s.value in set(scopes)]
    if not chosen:
        raise MandateError(
            lazy_gettext("Choose at least one thing the assistant may do."), "scopes"
        )
    if until < today():
        raise MandateError(lazy_gettext("The last day cannot be in the past."), "valid_until")
    return chosen


def give(
    session: Session,
    actor: Actor,
    assistant_user_id: int,
    scopes: list[str],
    valid_until: date,
) -> Mandate:
    """The client gives a mandate themself."""
    if actor.on_behalf_of is not None or not actor.has(Role.client):
        raise Forbidden()
    terms = Mandate(client_user_id=actor.user_id, assistant_user_id=assistant_user_id)
    return _create(session, actor, terms, scopes, valid_until)


def in_caseload(session: Session, actor: Actor, client_user_id: int) -> Membership:
    """The client's membership if they are in this case worker's caseload; else NotFound."""
    membership = session.exec(readable_caseload_membership(actor, client_user_id)).first()
    if membership is None:
        raise NotFound()
    return membership


def register_on_paper(
    session: Session,
    actor: Actor,
    client_user_id: int,
    assistant_user_id: int,
    scopes: list[str],
    valid_until: date,
    note: str | None,
) -> Mandate:
    """A case worker records a mandate the client signed on paper in a meeting."""
    in_caseload(session, actor, client_user_id)
    terms = Mandate(
        client_user_id=client_user_id,
        assistant_user_id=assistant_user_id,
        registered_on_paper=True,
        paper_note=note or None,
    )
    return _create(session, actor, terms, scopes, valid_until)


def _create(
    session: Session, actor: Actor, mandate: Mandate, scopes: list[str], valid_until: date
) -> Mandate:
    """Check the terms of a new mandate (who for whom, `scopes`, last day), save and log it."""
    client_user_id, assistant_user_id = mandate.client_user_id, mandate.assistant_user_id
    mandate.scopes = _check_terms(session, client_user_id, assistant_user_id, scopes, valid_until)
    mandate.valid_until = valid_until
    mandate.created_by_id = actor.user_id
    audit.record_saved(
        session,
        actor,
        AuditAction.create,
        CATEGORY,
        mandate,
        "mandate",
        subject_id=client_user_id,
        details={"registered_on_paper": True} if mandate.registered_on_paper else None,
    )
    events.mandate_given(session, mandate)
    return mandate


def revoke(session: Session, actor: Actor, mandate_id: int) -> Mandate:
    """The client revokes a mandate (at any moment; revoking twice changes nothing)."""
    mandate = session.exec(given_mandates(actor).where(Mandate.id == mandate_id)).first()
    if mandate is None:
        raise NotFound()
    if mandate.revoked_at is None:
        mandate.revoked_at = utcnow()
        mandate.revoked_by_id = actor.user_id
        audit.record_saved(
            session,
            actor,
            AuditAction.update,
            CATEGORY,
            mandate,
            "mandate",
            subject_id=actor.user_id,
            details={"revoked": True},
        )
        events.mandate_ended(session, mandate)
    return mandate


def start_acting(session: Session, actor: Actor, mandate_id: int) -> Mandate:
    found = session.exec(received_mandates(actor).where(Mandate.id == mandate_id)).first()
    if found is None:
        raise NotFound()
    mandate = live_mandate(session, mandate_id, actor.user_id)
    if mandate is None:
        raise MandateEnded(
            lazy_gettext("This mandate is no longer in force. Ask the client for a new one.")
        )
    audit.record(
        session,
        acting_actor(session, actor, mandate),
        AuditAction.read,
        CATEGORY,
        subject_id=mandate.client_user_id,
        record_type="mandate",
        record_id=mandate.id,
        details={"acting": "start"},
    )
    return mandate


def acting_actor(session: Session, actor: Actor, mandate: Mandate) -> Actor:
    """The assistant as they act for the mandate's client."""
    client = session.get(User, mandate.client_user_id)
    return replace(
        actor,
        on_behalf_of=client,
        mandate_id=mandate.id,
        mandate_scopes=frozenset(mandate.scopes),
    )
