"""Which channels beyond in-app each person wants, per kind of notification.

Without a saved choice the default is e-mail (when the person has an address). A client
whose submitted service-use profile (instrument `profile`, item `channels`) says "by phone"
and not "online" gets SMS instead of e-mail by default. The profile has no "by letter"
answer, so letters are not a channel.

A text message needs a phone number on the person's settings (`contact.py`): without one the
SMS choices are not kept and nothing is sent by SMS.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models.assessment import Assessment, AssessmentStatus
from app.models.notification import NotificationPreference
from app.models.user import User
from app.services.notifications import contact
from app.services.notifications.kinds import Kind

EMAIL, SMS = "email", "sms"


@dataclass(frozen=True)
class Choice:
    kind: Kind
    email: bool
    sms: bool


def default_choice(session: Session, user_id: int, kind: Kind) -> Choice:
    profile = session.exec(
        select(Assessment)
        .where(
            Assessment.client_id == user_id,
            Assessment.instrument_key == "profile",
            Assessment.status == AssessmentStatus.submitted,
        )
        .order_by(col(Assessment.id).desc())
    ).first()
    ways = set(profile.answers.get("channels") or []) if profile else set()
    by_phone = "phone" in ways and "digital" not in ways
    return Choice(kind, email=not by_phone, sms=by_phone)


def choice(session: Session, user_id: int, kind: Kind) -> Choice:
    saved = session.exec(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    ).first()
    if saved is None:
        return default_choice(session, user_id, kind)
    return Choice(kind, email=saved.email, sms=saved.sms)


def choices(session: Session, user_id: int) -> list[Choice]:
    return [choice(session, user_id, kind) for kind in Kind]


def extra_channels(session: Session, user_id: int, kind: Kind) -> list[str]:
    """The outbox channels for one notification of `kind` to the user."""
    picked = choice(session, user_id, kind)
    user = session.get(User, user_id)
    channels = [EMAIL] if picked.email and user is not None and user.email else []
    return channels + ([SMS] if picked.sms and contact.contact(session, user_id).phone else [])


def save(session: Session, user_id: int, chosen: dict[Kind, tuple[bool, bool]]) -> None:
    """Store the user's (e-mail, SMS) choice for each kind given."""
    rows = {
        row.kind: row
        for row in session.exec(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    for kind, (email, sms) in chosen.items():
        row = rows.get(kind) or NotificationPreference(user_id=user_id, kind=kind)
        row.email, row.sms = email, sms
        session.add(row)


def save_settings(
    session: Session,
    user_id: int,
    chosen: dict[Kind, tuple[bool, bool]],
    typed_phone: str,
    digests: tuple[bool, bool] = (False, False),
) -> contact.Contact:
    """The settings page: the phone number (PhoneInvalid before anything is written), the
    staff's daily summary per channel (e-mail, SMS), and the channels per kind; SMS is kept
    only with a number."""
    saved = contact.save(session, user_id, typed_phone, *digests)
    if saved.phone is None:
        chosen = {kind: (email, False) for kind, (email, _sms) in chosen.items()}
    save(session, user_id, chosen)
    return saved
