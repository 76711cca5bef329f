"""Mandate rules without the web layer: status, scope refusal, Finnish calendar days."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.deps import OutsideMandate, acting_client
from app.errors import Forbidden
from app.models.actor import Actor, MandateScope
from app.models.mandate import Mandate
from app.models.user import Membership, Role, User
from app.services.identity import mandates
from app.services.identity.mandates import MandateStatus, status_of


def _mandate(**kw) -> Mandate:  # noqa: ANN003
    base = {
        "client_user_id": 1,
        "assistant_user_id": 2,
        "scopes": ["view"],
        "valid_until": date(2026, 12, 31),
        "created_by_id": 1,
    }
    return Mandate(**(base | kw))


def test_status_is_live_through_the_last_day_then_expired_and_revoked_wins():
    m = _mandate()
    assert status_of(m, date(2026, 12, 31)) is MandateStatus.live
    assert status_of(m, date(2027, 1, 1)) is MandateStatus.expired
    m.revoked_at = datetime(2026, 6, 1, tzinfo=UTC)
    assert status_of(m, date(2026, 6, 2)) is MandateStatus.revoked


def test_today_is_the_finnish_calendar_day(monkeypatch):
    # 23:30 UTC on 31 Dec is already 1 Jan in Finland.
    monkeypatch.setattr(mandates, "utcnow", lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert mandates.today() == date(2027, 1, 1)


def _assistant(scopes: set[str]) -> Actor:
    helper = User(id=2, display_name="Helper")
    client = User(id=1, display_name="Client")
    membership = Membership(user_id=2, role=Role.assistant)
    return Actor(
        user=helper,
        memberships=(membership,),
        on_behalf_of=client,
        mandate_id=5,
        mandate_scopes=frozenset(scopes),
    )


def test_what_is_outside_the_mandate_is_refused_with_a_clear_message():
    view_only = _assistant({MandateScope.view.value})
    assert acting_client(MandateScope.view)(view_only) is view_only
    with pytest.raises(OutsideMandate) as refused:
        acting_client(MandateScope.plan)(view_only)
    assert refused.value.status_code == 403
    assert "valtuutus ei kata" in refused.value.text()  # default locale: Finnish


def test_an_assistant_not_acting_is_not_a_client():
    helper = User(id=2, display_name="Helper")
    not_acting = Actor(user=helper, memberships=(Membership(user_id=2, role=Role.assistant),))
    with pytest.raises(Forbidden):
        acting_client(MandateScope.view)(not_acting)


def test_expiry_a_day_ago_is_expired_today():
    m = _mandate(valid_until=mandates.today() - timedelta(days=1))
    assert status_of(m) is MandateStatus.expired
