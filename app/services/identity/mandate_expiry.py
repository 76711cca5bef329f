"""Mandate expiry, run as a scheduled job: a mandate past its last day stops being acted
under, and its client and assistant are told a week before it ends and when it has ended.

A mandate's status is derived from its dates (`mandates.status_of`), so nothing about the
mandate itself changes; what the job ends is its lasting effect, a login session still marked
as acting under it. The notices go through the notification service (one per mandate, person and
last day: a mandate extended later is announced again).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models.login_session import LoginSession
from app.models.mandate import Mandate
from app.services.identity.mandates import FINLAND
from app.services.notifications.kinds import Kind
from app.services.notifications.service import notify

ENDING_SOON_DAYS = 7
# Ended mandates are announced if they ended within this many days (a job that was down for a
# while still tells), older ones are not looked at again.
ENDED_LOOKBACK_DAYS = 30


def _tell(session: Session, mandate: Mandate, kind: Kind) -> None:
    key = f"{kind}:{mandate.id}:{mandate.valid_until.isoformat()}"
    until = mandate.valid_until.isoformat()
    notify(session, [mandate.client_user_id], kind, key, "/oma/valtuutukset", until=until)
    notify(session, [mandate.assistant_user_id], kind, key, "/avustaja", until=until)


def expire_mandates(session: Session, now: datetime) -> dict[str, int]:
    """End the effect of mandates past their last day (Finnish time) and send the notices."""
    today = now.astimezone(FINLAND).date()
    not_revoked = col(Mandate.revoked_at).is_(None)
    expired_ids = select(Mandate.id).where(col(Mandate.valid_until) < today)
    stopped = session.execute(
        update(LoginSession)
        .where(col(LoginSession.acting_mandate_id).in_(expired_ids))
        .values(acting_mandate_id=None)
    )
    ended = session.exec(
        select(Mandate).where(
            not_revoked,
            col(Mandate.valid_until) < today,
            col(Mandate.valid_until) >= today - timedelta(days=ENDED_LOOKBACK_DAYS),
        )
    ).all()
    ending = session.exec(
        select(Mandate).where(
            not_revoked,
            col(Mandate.valid_until) >= today,
            col(Mandate.valid_until) <= today + timedelta(days=ENDING_SOON_DAYS),
        )
    ).all()
    for mandate in ended:
        _tell(session, mandate, Kind.mandate_ended)
    for mandate in ending:
        _tell(session, mandate, Kind.mandate_ending)
    session.flush()
    return {
        "sessions_stopped": stopped.rowcount,  # type: ignore[attr-defined]
        "ended": len(ended),
        "ending": len(ending),
    }
