"""Every background job, in one list: its name, how often it runs, and the service function
that does the work (a plain function of a session or the engine and the time; the runner
only calls it). A job added here gets its row at the next runner pass."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.services import retention, search
from app.services.budget import deliveries, payments
from app.services.catalogue import staleness
from app.services.identity import mandate_expiry, rate_limits, sessions
from app.services.notifications import digest, outbox
from app.services.operations.runner import JobSpec, in_session
from app.services.research import reminders, teaming_reminders

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def _search_outbox(engine: Engine, _now: datetime) -> int:
    return search.process_outbox(engine)


def _notification_outbox(settings: Settings, engine: Engine, now: datetime) -> int:
    return outbox.deliver_due(engine, now, settings)


def _notification_digest(settings: Settings, engine: Engine, now: datetime) -> int:
    return digest.send_digests(engine, now, settings)


def _rate_limit_cleanup(window_seconds: int, session: Session, now: datetime) -> int:
    return rate_limits.purge(session, now, window_seconds)


def jobs(settings: Settings) -> tuple[JobSpec, ...]:
    """The jobs, in the order a pass runs the due ones."""
    return (
        JobSpec("search_outbox", MINUTE, _search_outbox),
        JobSpec("notification_outbox", MINUTE, partial(_notification_outbox, settings)),
        JobSpec("notification_digest", HOUR, partial(_notification_digest, settings)),
        JobSpec("deliveries_auto_accept", HOUR, in_session(deliveries.auto_accept_job)),
        JobSpec(
            "payments_outbox", MINUTE, in_session(partial(payments.send_refunds_job, settings))
        ),
        JobSpec("mandate_expiry", HOUR, in_session(mandate_expiry.expire_mandates)),
        JobSpec("evaluation_reminders", DAY, in_session(reminders.store_reminders)),
        JobSpec("teaming_reminders", DAY, in_session(teaming_reminders.store_reminders)),
        JobSpec("listing_staleness", DAY, in_session(staleness.notify_stale_listings)),
        JobSpec("session_cleanup", HOUR, in_session(sessions.purge_job)),
        JobSpec("retention", DAY, in_session(retention.purge)),
        JobSpec(
            "rate_limit_cleanup",
            HOUR,
            in_session(partial(_rate_limit_cleanup, settings.rate_limit_window_seconds)),
        ),
    )


def names(settings: Settings) -> list[str]:
    return [spec.name for spec in jobs(settings)]
