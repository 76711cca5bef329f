"""The staff's daily summary against the loopback SMTP server: one mail a day per person in
their language with each notice's link and no client's name, never twice (two runners at
once, a second run the same day), notices handled before it left out, a failing server
retried; only staff may choose it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.models.notification import NotificationOutbox
from app.services.notifications import contact, digest, outbox, service
from app.services.notifications.kinds import Kind
from app.services.operations import registry
from tests.notifications.conftest import Inbox
from tests.notifications.test_outbox import _parts
from tests.support.budget_world import BudgetWorld, build

# Tomorrow, so the notices the tests create now are older than the summary run: a fixed date
# turns into the past (and every notice into one made after the run) the day it is reached.
_TOMORROW = datetime.now(UTC).date() + timedelta(days=1)
MORNING = datetime.combine(_TOMORROW, time(6, 30), tzinfo=UTC)  # 08:30 in Helsinki (winter)
NIGHT = datetime.combine(_TOMORROW, time(3, 0), tzinfo=UTC)  # 05:00 in Helsinki (winter)


def _worker_on_digest(session: Session, locale: str = "sv") -> BudgetWorld:
    world = build(session)
    worker = world.case_worker
    worker.email, worker.locale = "sanna@example.fi", locale
    session.add(worker)
    contact.save(session, worker.id, "", email_digest=True, sms_digest=False)  # type: ignore[arg-type]
    session.flush()
    return world


def _tell(session: Session, world: BudgetWorld, n: int, topic: str | None = None) -> None:
    service.notify(session, [world.case_worker.id], Kind.plan_submitted, f"t:{n}",
                   f"/asiakkaat/{world.client.id}/budjetti", topic)  # fmt: skip


def _statuses(engine: Engine) -> list[str]:
    with Session(engine) as s:
        rows = s.exec(select(NotificationOutbox).order_by(NotificationOutbox.id)).all()  # type: ignore[arg-type]
        return [r.status for r in rows]


def test_one_summary_a_day_in_the_readers_language_without_handled_notices(
    engine: Engine, session: Session, smtp: tuple[Inbox, int], mail_settings: Settings
) -> None:
    world = _worker_on_digest(session)
    _tell(session, world, 1)
    service.notify(session, [world.case_worker.id], Kind.overdraw, "t:2", "/asiakkaat")
    _tell(session, world, 3, topic="plan:3")
    service.resolve(session, "plan:3")  # handled before the summary: left out
    session.commit()
    assert outbox.deliver_due(engine, MORNING, mail_settings) == 0  # held, not sent one by one
    assert digest.send_digests(engine, NIGHT, mail_settings) == 0  # before the morning
    assert digest.send_digests(engine, MORNING, mail_settings) == 1
    [(rcpt, mail)] = smtp[0].mails
    assert rcpt == ["sanna@example.fi"]
    assert mail["Subject"] == "Hebu: daglig sammanfattning, 2 aviseringar"
    text, html = _parts(mail)["text/plain"], _parts(mail)["text/html"]
    assert "Planen skickad: En klient skickade en budgetplan" in text
    assert "Över budgeten:" in text
    assert text.count("Planen skickad") == 1  # the handled one is not listed
    assert f"https://hebu.test/asiakkaat/{world.client.id}/budjetti" in text
    assert 'href="https://hebu.test/asiakkaat"' in html and 'lang="sv"' in html
    assert world.client.display_name not in text + html
    assert text.count("Du får detta meddelande") == 1  # one footer
    assert _statuses(engine) == ["sent", "sent", "dropped"]

    # The same day again: nothing twice, and a new notice waits for tomorrow's summary.
    _tell(session, world, 4)
    session.commit()
    assert digest.send_digests(engine, MORNING + timedelta(hours=3), mail_settings) == 0
    assert len(smtp[0].mails) == 1
    assert digest.send_digests(engine, MORNING + timedelta(days=1), mail_settings) == 1
    assert smtp[0].mails[1][1]["Subject"] == "Hebu: daglig sammanfattning, 1 avisering"
    assert _statuses(engine) == ["sent", "sent", "dropped", "sent"]


def test_two_runners_at_once_send_one_summary(
    engine: Engine, session: Session, smtp: tuple[Inbox, int], mail_settings: Settings
) -> None:
    world = _worker_on_digest(session, locale="fi")
    for n in range(5):
        _tell(session, world, n)
    session.commit()
    counts: list[int] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        counts.append(digest.send_digests(engine, MORNING, mail_settings))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(counts) == [0, 1] and len(smtp[0].mails) == 1
    assert smtp[0].mails[0][1]["Subject"] == "Hebu: päivän yhteenveto, 5 ilmoitusta"


def test_a_failing_server_keeps_the_notices_for_the_retry(
    engine: Engine, session: Session, smtp: tuple[Inbox, int], mail_settings: Settings
) -> None:
    world = _worker_on_digest(session, locale="en")
    _tell(session, world, 1)
    session.commit()
    smtp[0].failing = True
    with pytest.raises(digest.DigestsNotSent):
        digest.send_digests(engine, MORNING, mail_settings)
    assert _statuses(engine) == ["held"]
    smtp[0].failing = False
    assert digest.send_digests(engine, MORNING + timedelta(minutes=1), mail_settings) == 1
    assert smtp[0].mails[0][1]["Subject"] == "Hebu: daily summary, 1 notice"


def test_only_staff_may_take_the_summary(
    engine: Engine, session: Session, smtp: tuple[Inbox, int], mail_settings: Settings
) -> None:
    world = build(session)
    world.client.email = "aino@example.fi"
    session.add(world.client)
    saved = contact.save(session, world.client.id, "", email_digest=True, sms_digest=True)  # type: ignore[arg-type]
    assert (saved.email_digest, saved.sms_digest) == (False, False)
    service.notify(session, [world.client.id], Kind.frame_set, "t:c", "/oma/budjetti")
    session.commit()
    assert outbox.deliver_due(engine, MORNING, mail_settings) == 1  # told at once


def test_the_summary_is_a_registered_job() -> None:
    assert "notification_digest" in registry.names(Settings())
