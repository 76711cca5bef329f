"""A person's notification settings beyond the per-kind choices: the phone number text
messages go to, and for staff the daily summary per channel.

A phone number is kept in E.164 form. Finnish numbers may be typed the way people write them:
"040 123 4567", "040-1234567", "+358 40 123 4567" and "00358 40 123 4567" are all
+358401234567. Without a number no text message is sent (the SMS choices are ignored).

Only staff (case workers, organiser admins, provider users) may take the daily summary: a
client or an assistant is told at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from app.errors import Invalid
from app.forms import normalise_spaces
from app.i18n import lazy_gettext
from app.models.notification import NotificationSetting
from app.models.user import Membership, Role

STAFF = frozenset({Role.case_worker, Role.admin, Role.provider_owner, Role.provider_editor})
_SEPARATORS = re.compile(r"[ ()\-./]")
MAX_DIGITS = 15  # E.164


class PhoneInvalid(Invalid):
    default_text = lazy_gettext(
        "Enter the phone number with its area or operator code, like 040 123 4567 "
        "or +358 40 123 4567."
    )


def normalise_phone(typed: str) -> str | None:
    """The number in E.164 form, None for an empty field; PhoneInvalid if it is no number."""
    text = _SEPARATORS.sub("", normalise_spaces(typed))
    if not text:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("0"):
        text = "+358" + text[1:]
    digits = text[1:]
    if not text.startswith("+") or not digits.isascii() or not digits.isdigit():
        raise PhoneInvalid()
    finnish = digits.startswith("358")
    shortest = 3 + 6 if finnish else 8  # +358 and at least six digits
    if not shortest <= len(digits) <= MAX_DIGITS or digits[len("358") * finnish] == "0":
        raise PhoneInvalid()
    return text


@dataclass(frozen=True)
class Contact:
    phone: str | None = None
    email_digest: bool = False
    sms_digest: bool = False


def is_staff(session: Session, user_id: int) -> bool:
    roles = session.exec(select(Membership.role).where(Membership.user_id == user_id)).all()
    return any(role in STAFF for role in roles)


def _row(session: Session, user_id: int) -> NotificationSetting | None:
    return session.exec(
        select(NotificationSetting).where(NotificationSetting.user_id == user_id)
    ).first()


def contact(session: Session, user_id: int) -> Contact:
    row = _row(session, user_id)
    if row is None:
        return Contact()
    return Contact(row.phone, row.email_digest, row.sms_digest)


def save(
    session: Session, user_id: int, typed_phone: str, email_digest: bool, sms_digest: bool
) -> Contact:
    """Store the number (PhoneInvalid before anything is written) and, for staff, the digest
    choices (anyone else's stay off)."""
    phone = normalise_phone(typed_phone)
    staff = is_staff(session, user_id)
    row = _row(session, user_id) or NotificationSetting(user_id=user_id)
    row.phone = phone
    row.email_digest, row.sms_digest = email_digest and staff, sms_digest and staff
    session.add(row)
    session.flush()
    return Contact(row.phone, row.email_digest, row.sms_digest)


def digest_channels(session: Session, user_id: int) -> set[str]:
    """The channels on which the person takes the daily summary."""
    saved = contact(session, user_id)
    return {name for name, on in (("email", saved.email_digest), ("sms", saved.sms_digest)) if on}
