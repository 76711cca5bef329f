"""Research consent: the client's permission to use their data in evaluation and research.

Separate from care: care goes on whatever the answer. The client gives and withdraws it
themself at any time; a case worker can record a consent (or withdrawal) the client signed
on paper. An HB assistant cannot give or withdraw it for the client, even with a mandate:
consent to research is personal and no mandate scope covers it. Every change is a new
ConsentEvent (versioned history: who, when, how); the newest event is in force, and a
withdrawal takes the client out of every research and evaluation figure from then on
(`scope.population`, the one scope those figures use).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.errors import Forbidden
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.research import CONSENT_TEXT_VERSION, ConsentEvent
from app.models.user import Role
from app.services import audit
from app.services.identity.mandates import in_caseload
from app.services.research import scope

CATEGORY = "consent"


class ConsentIsPersonal(Forbidden):
    default_text = lazy_gettext("Only the client can give or withdraw research consent.")


def history(session: Session, client_id: int) -> list[ConsentEvent]:
    """Newest first."""
    return list(
        session.exec(
            select(ConsentEvent)
            .where(ConsentEvent.client_id == client_id)
            .order_by(col(ConsentEvent.version).desc())
        ).all()
    )


def current(session: Session, client_id: int) -> ConsentEvent | None:
    found = history(session, client_id)
    return found[0] if found else None


def has_consent(session: Session, client_id: int) -> bool:
    event = current(session, client_id)
    return event is not None and event.given


def consenting_ids(session: Session, client_ids: Iterable[int] | None = None) -> set[int]:
    """Clients whose consent is in force now (optionally among `client_ids`); for single
    checks. Reports never filter with this set: they use `scope.population`."""
    query = scope.in_force()
    if client_ids is not None:
        query = query.where(col(ConsentEvent.client_id).in_(list(client_ids)))
    return set(session.exec(query).all())


def _change(
    session: Session, actor: Actor, client_id: int, given: bool, on_paper: bool, note: str
) -> ConsentEvent:
    before = current(session, client_id)
    event = ConsentEvent(
        client_id=client_id,
        version=(before.version + 1) if before else 1,
        given=given,
        text_version=CONSENT_TEXT_VERSION,
        recorded_by_id=actor.user_id,
        on_paper=on_paper,
        note=note,
    )
    audit.record_saved(
        session,
        actor,
        AuditAction.create,
        CATEGORY,
        event,
        "consent_event",
        subject_id=client_id,
        details={"given": given, "on_paper": on_paper, "version": event.version},
    )
    return event


def set_own(session: Session, actor: Actor, given: bool) -> ConsentEvent:
    """The client gives or withdraws their own consent (never an assistant)."""
    if actor.on_behalf_of is not None or not actor.has(Role.client):
        raise ConsentIsPersonal()
    return _change(session, actor, actor.user_id, given, on_paper=False, note="")


def record_paper(
    session: Session, actor: Actor, client_id: int, given: bool, note: str
) -> ConsentEvent:
    """A case worker records a consent or withdrawal the client signed on paper."""
    in_caseload(session, actor, client_id)
    return _change(session, actor, client_id, given, on_paper=True, note=note)
