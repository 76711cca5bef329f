"""The channels beyond in-app, behind one small interface: e-mail over SMTP, and SMS through
a development outbox until a gateway is configured.

Without `HEBU_SMTP_HOST` outside production, e-mail goes to the development outbox (the
`sent_mail` table shown at /dev/mail); in production it waits in the notification outbox
until a host is set. SMS always goes to the development outbox: a real gateway is a new
`Channel` chosen here from configuration.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Environment, Settings
from app.models.identity import SentMail


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str


class NotConfigured(Exception):
    """The channel cannot send yet (no server configured): retried later."""


class Channel(Protocol):
    def send(self, message: Message) -> None: ...


class SmtpEmail:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, message: Message) -> None:
        s = self.settings
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = s.smtp_from, message.to, message.subject
        mail["Message-ID"] = make_msgid(domain="hebu")
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        assert s.smtp_host is not None
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password or "")
            smtp.send_message(mail)


class DevOutbox:
    """Kept in `sent_mail` for the development page /dev/mail; `prefix` marks SMS."""

    def __init__(self, engine: Engine, prefix: str = "") -> None:
        self.engine, self.prefix = engine, prefix

    def send(self, message: Message) -> None:
        with Session(self.engine) as own:
            own.add(
                SentMail(to=self.prefix + message.to, subject=message.subject, body=message.text)
            )
            own.commit()


class Unconfigured:
    def send(self, message: Message) -> None:
        raise NotConfigured("HEBU_SMTP_HOST is not set")


def channel_for(name: str, settings: Settings, engine: Engine) -> Channel:
    if name == "sms":
        return DevOutbox(engine, prefix="SMS ")
    if settings.smtp_host:
        return SmtpEmail(settings)
    if settings.environment is Environment.production:
        return Unconfigured()
    return DevOutbox(engine)
