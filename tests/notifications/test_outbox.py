"""The e-mail path against a real SMTP server on loopback (aiosmtpd): what arrives, retry
with backoff after a failing server, and two workers at once sending each mail once."""

from __future__ import annotations

import threading
from datetime import timedelta
from email.message import Message as MailMessage

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.models.base import utcnow
from app.models.notification import NotificationOutbox, OutboxStatus
from app.services.notifications import outbox, service
from app.services.notifications.kinds import Kind
from tests.notifications.conftest import Inbox
from tests.support.budget_world import BudgetWorld, build


def _world(session: Session, locale: str = "sv") -> BudgetWorld:
    world = build(session)
    world.client.email, world.client.locale = "aino@example.fi", locale
    session.add(world.client)
    session.flush()
    return world


def _parts(mail: MailMessage) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()  # type: ignore[union-attr]
        for part in mail.walk()
        if not part.is_multipart()
    }


def test_mail_arrives_in_the_recipients_language_with_the_link(
    engine: Engine, session: Session, smtp: tuple[Inbox, int], mail_settings: Settings
) -> None:
    world = _world(session)
    world.frame(100_000)
    session.commit()
    assert outbox.deliver_due(engine, settings=mail_settings) == 1
    [(rcpt, mail)] = smtp[0].mails
    assert rcpt == ["aino@example.fi"]
    assert mail["Subject"] == "Hebu: Budgetram"
    parts = _parts(mail)
    assert "Din budgetram fastställdes eller ändrades." in parts["text/plain"]
    assert "https://hebu.test/oma/budjetti" in parts["text/plain"]
    assert '<a href="https://hebu.test/oma/budjetti">Öppna i Hebu</a>' in parts["text/html"]
    assert outbox.deliver_due(engine, settings=mail_settings) == 0  # never twice
    assert len(smtp[0].mails) == 1


def test_a_failing_server_is_retried_with_backoff(
    engine: Engine, session: Session, smtp: tuple[Inbox, int], mail_settings: Settings
) -> None:
    world = _world(session, locale="en")
    service.notify(session, [world.client.id], Kind.frame_set, "t:frame", "/oma/budjetti")
    session.commit()
    now = utcnow()
    smtp[0].failing = True
    assert outbox.deliver_due(engine, now, mail_settings) == 0
    with Session(engine) as check:
        row = check.exec(select(NotificationOutbox)).one()
    assert (row.status, row.attempts) == (OutboxStatus.pending, 1)
    assert row.next_attempt_at == now + outbox.FIRST_RETRY and "451" in row.last_error
    smtp[0].failing = False
    assert outbox.deliver_due(engine, now + timedelta(seconds=30), mail_settings) == 0  # not due
    assert outbox.deliver_due(engine, now + timedelta(minutes=1), mail_settings) == 1
    [(_rcpt, mail)] = smtp[0].mails
    assert mail["Subject"] == "Hebu: Budget frame"


def test_two_workers_at_once_send_each_mail_once(
    engine: Engine, session: Session, smtp: tuple[Inbox, int], mail_settings: Settings
) -> None:
    world = _world(session, locale="fi")
    for n in range(6):
        service.notify(session, [world.client.id], Kind.frame_set, f"t:{n}", "/oma/budjetti")
    session.commit()
    counts: list[int] = []
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        counts.append(outbox.deliver_due(engine, settings=mail_settings))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 6
    assert len(smtp[0].mails) == 6
    with Session(engine) as check:
        rows = check.exec(select(NotificationOutbox)).all()
    assert {r.status for r in rows} == {OutboxStatus.sent} and {r.attempts for r in rows} == {1}


def test_sms_and_mail_without_a_server_go_to_the_development_outbox(
    engine: Engine, session: Session, settings: Settings
) -> None:
    from app.models.identity import SentMail
    from app.services.notifications import preferences

    world = _world(session, locale="fi")
    preferences.save_settings(
        session, world.client.id, {Kind.frame_set: (True, True)}, "0401234567"
    )  # type: ignore[arg-type]
    service.notify(session, [world.client.id], Kind.frame_set, "t:dev", "/oma/budjetti")
    session.commit()
    assert settings.smtp_host is None
    assert outbox.deliver_due(engine, settings=settings) == 2
    with Session(engine) as check:
        kept = {m.to: m.body for m in check.exec(select(SentMail)).all()}
    sms = "SMS +358401234567"  # the number the person saved
    assert set(kept) == {"aino@example.fi", sms}
    assert "Budjettiraamisi asetettiin tai sitä muutettiin." in kept[sms]
