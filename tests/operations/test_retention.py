"""The retention job deletes what the privacy notice says is kept only for a while (read
notifications after 180 days, finished outbox rows and mail copies after 30, form keys after
7, expired invitations after 30), keeps what is still due or unread, and never touches the
ledger, deliveries or the access log however old they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models.audit import AuditEvent
from app.models.identity import ProviderInvitation, SentMail
from app.models.ledger import Delivery, LedgerEntry
from app.models.notification import Notification, NotificationOutbox, OutboxStatus
from app.models.submission import FormSubmission
from app.services import retention
from app.services.budget import deliveries
from app.services.notifications import service
from app.services.notifications.kinds import Kind
from app.services.operations import registry
from tests.budget.test_plan_and_ledger import _confirmed_line
from tests.operations.test_jobs import _spec
from tests.support.budget_world import TODAY, build

NOW = datetime.now(UTC) + timedelta(days=1)  # the world's own notices are recent
LONG_AGO = NOW - timedelta(days=400)


def _count(s: Session, model: type) -> int:
    return int(s.exec(select(func.count()).select_from(model)).one())


def _note(s: Session, user_id: int, key: str, made: datetime, read: bool) -> Notification:
    [note] = service.notify(s, [user_id], Kind.frame_set, key, "/oma/budjetti")
    note.created_at, note.read_at = made, made if read else None
    s.add(note)
    s.flush()
    return note


def test_retention_deletes_what_is_past_its_time_and_never_the_records(engine: Engine) -> None:
    with Session(engine) as s:
        world = build(s)
        _budget, line = _confirmed_line(world)
        provider = world.actor(world.provider_user)
        deliveries.report_delivery(s, provider, line.id, TODAY, 1, "")  # type: ignore[arg-type]
        cid: int = world.client.id  # type: ignore[assignment]
        old_read = _note(s, cid, "old-read", LONG_AGO, read=True)
        old_unread = _note(s, cid, "old-unread", LONG_AGO, read=False)
        recent_read = _note(s, cid, "recent-read", NOW - timedelta(days=10), read=True)
        for note, status, changed in (
            (old_read, OutboxStatus.sent, LONG_AGO),
            (old_unread, OutboxStatus.sent, NOW - timedelta(days=40)),  # finished, past 30 d
            (recent_read, OutboxStatus.pending, LONG_AGO),  # not sent yet: kept
        ):
            s.add(NotificationOutbox(notification_id=note.id, channel="email", status=status,  # type: ignore[arg-type]
                                     next_attempt_at=changed, updated_at=changed))  # fmt: skip
        s.add_all([
            SentMail(to="a@example.fi", subject="old", body="x", sent_at=NOW - timedelta(days=31)),
            SentMail(to="a@example.fi", subject="new", body="x", sent_at=NOW - timedelta(days=1)),
            FormSubmission(form_key="a" * 32, user_id=cid, created_at=NOW - timedelta(days=8)),
            FormSubmission(form_key="b" * 32, user_id=cid, created_at=NOW - timedelta(hours=1)),
        ])  # fmt: skip
        for token, expired in (("c", NOW - timedelta(days=31)), ("d", NOW - timedelta(days=2))):
            s.add(ProviderInvitation(provider_id=world.provider.id, email="p@example.fi",  # type: ignore[arg-type]
                                     token_hash=token * 64, invited_by_id=cid,
                                     expires_at=expired))  # fmt: skip
        s.commit()
        # However old the records of the client's services are, they stay.
        for model in (LedgerEntry, AuditEvent, Delivery):
            for row in s.exec(select(model)).all():
                if hasattr(row, "created_at"):
                    row.created_at = LONG_AGO
                    s.add(row)
        s.commit()
        recent_id = recent_read.id
        kept = {m: _count(s, m) for m in (LedgerEntry, AuditEvent, Delivery)}
        assert kept[LedgerEntry] > 0 and kept[AuditEvent] > 0 and kept[Delivery] == 1

    result = _spec("retention").run(engine, NOW)
    assert result == {"notifications": 1, "outbox": 2, "sent_mail": 1, "form_keys": 1,
                      "invitations": 1}  # fmt: skip
    with Session(engine) as s:
        mine = [f"{k}:{cid}" for k in ("old-read", "old-unread", "recent-read")]
        keys = set(
            s.exec(
                select(Notification.dedup_key).where(col(Notification.dedup_key).in_(mine))
            ).all()
        )
        assert keys == {f"old-unread:{cid}", f"recent-read:{cid}"}
        assert [r.status for r in s.exec(select(NotificationOutbox)).all()
                if r.notification_id == recent_id] == [OutboxStatus.pending]  # fmt: skip
        assert s.exec(select(SentMail.subject)).all() == ["new"]
        assert s.exec(select(FormSubmission.form_key)).all() == ["b" * 32]
        assert s.exec(select(ProviderInvitation.token_hash)).all() == ["d" * 64]
        assert {m: _count(s, m) for m in kept} == kept
    assert _spec("retention").run(engine, NOW)["notifications"] == 0  # type: ignore[index]


def test_retention_is_a_daily_job() -> None:
    specs = {s.name: s for s in registry.jobs(registry.Settings())}
    assert specs["retention"].interval_seconds == registry.DAY


def test_the_privacy_notice_states_the_keeping_times(client: TestClient) -> None:
    page = client.get("/tietosuoja").text
    assert "Kuinka kauan tietoja säilytetään" in page
    days = retention.READ_NOTIFICATIONS.days, retention.FINISHED_OUTBOX.days
    assert f"poistetaan {days[0]} päivän kuluttua" in page and f"{days[1]} päivän" in page
