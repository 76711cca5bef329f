"""Sending e-mail. The only module that sends mail.

There is no mail server in development or tests: a message goes to the log and is kept in
the `sent_mail` table, which the development-only page /dev/mail lists. In production the
message is logged without its body (it may carry a one-time link) until a relay is set up.
"""

from __future__ import annotations

import logging

from sqlmodel import Session, col, select

from app.config import Environment, Settings
from app.models.identity import SentMail

log = logging.getLogger("hebu.mail")


def send(session: Session, settings: Settings, to: str, subject: str, body: str) -> None:
    if settings.environment is Environment.production:
        log.info("mail queued", extra={"subject": subject})
        return
    session.add(SentMail(to=to, subject=subject, body=body))
    log.info("mail sent (development)\nTo: %s\nSubject: %s\n\n%s", to, subject, body)


def sent(session: Session, limit: int = 50) -> list[SentMail]:
    return list(session.exec(select(SentMail).order_by(col(SentMail.id).desc()).limit(limit)).all())
