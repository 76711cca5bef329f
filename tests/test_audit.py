from sqlalchemy import text
from sqlmodel import select

from app.models.actor import Actor
from app.models.audit import AuditAction, AuditEvent
from app.models.user import Membership, Role, User
from app.services import audit


def _actor(session, role: Role, name: str) -> Actor:
    user = User(display_name=name)
    session.add(user)
    session.flush()
    m = Membership(user_id=user.id, role=role)
    session.add(m)
    session.flush()
    return Actor(user=user, memberships=(m,), request_id="req-1")


def tamper(session, sql: str) -> None:
    """Change stored rows behind the app's back (PostgreSQL: past the append-only trigger)."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
    session.execute(text(sql))
    if postgres:
        session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
    session.commit()


def test_chain_verifies_and_detects_tampering(session):
    worker = _actor(session, Role.case_worker, "Worker")
    client = _actor(session, Role.client, "Client")
    for i in range(3):
        audit.record(
            session, worker, AuditAction.read, "assessment", subject_id=client.user_id, record_id=i
        )
    session.commit()
    assert audit.verify(session) == []

    tamper(session, "UPDATE audit_event SET category = 'budget' WHERE id = 2")
    session.expire_all()
    problems = audit.verify(session)
    assert [p.event_id for p in problems] == [2]


def test_deleting_a_row_breaks_the_chain(session):
    worker = _actor(session, Role.case_worker, "Worker")
    client = _actor(session, Role.client, "Client")
    for i in range(3):
        audit.record(
            session, worker, AuditAction.read, "goal", subject_id=client.user_id, record_id=i
        )
    session.commit()
    tamper(session, "DELETE FROM audit_event WHERE id = 2")
    session.expire_all()
    assert audit.verify(session)


def test_own_reads_are_not_logged_but_others_are(session):
    client = _actor(session, Role.client, "Client")
    worker = _actor(session, Role.case_worker, "Worker")
    assert audit.record(session, client, AuditAction.read, "budget") is None
    event = audit.record(session, worker, AuditAction.read, "budget", subject_id=client.user_id)
    assert event is not None and event.purpose == "care" and event.request_id == "req-1"
    assert session.exec(select(AuditEvent)).all() == [event]


def test_acting_for_records_both_people(session):
    client = _actor(session, Role.client, "Client")
    helper = _actor(session, Role.assistant, "Assistant")
    acting = Actor(
        user=helper.user,
        memberships=helper.memberships,
        on_behalf_of=client.user,
        mandate_scopes=frozenset({"view"}),
    )
    event = audit.record(session, acting, AuditAction.update, "goal")
    assert event.actor_id == helper.user_id
    assert event.on_behalf_of_id == client.user_id
    assert event.subject_id == client.user_id
    assert event.purpose == "mandate"
