"""A real SMTP server on loopback (aiosmtpd) for the mail tests, and settings that send to it."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from email.message import Message as MailMessage

import pytest
from aiosmtpd.controller import Controller

from app.config import Settings


class Inbox:
    def __init__(self) -> None:
        self.mails: list[tuple[list[str], MailMessage]] = []
        self.failing = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope) -> str:  # noqa: ANN001, N802
        if self.failing:
            return "451 Try again later"
        with self.lock:
            self.mails.append(
                (
                    list(envelope.rcpt_tos),
                    email.message_from_bytes(envelope.content, policy=email.policy.default),
                )
            )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def mail_settings(settings: Settings, smtp: tuple[Inbox, int]) -> Settings:
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp[1], "base_url": "https://hebu.test"}
    )
