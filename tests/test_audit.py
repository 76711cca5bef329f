from sqlalchemy import text
from sqlmodel import Session, select

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


def test_a_refusal_is_its_own_unit_of_work(engine):
    """The request's work rolls back as a whole; the refusal is written after it, chained."""
    with Session(engine, expire_on_commit=False) as setup:
        intruder = _actor(setup, Role.client, "Intruder")
        audit.record(setup, intruder, AuditAction.create, "goal", record_id=1)
        setup.commit()
    with Session(engine, expire_on_commit=False) as request:
        audit.record(request, intruder, AuditAction.update, "goal", record_id=2)
        audit.record_refusal(request, intruder, "goal", record_type="goal", record_id=3)
        request.rollback()
    with Session(engine) as check:
        events = check.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.record_id) for e in events] == [
            (AuditAction.create, "1"),
            (AuditAction.denied, "3"),
        ]
        assert events[1].actor_id == intruder.user_id and events[1].request_id == "req-1"
        assert audit.verify(check) == []


def test_a_refusal_is_written_once_after_a_commit_too(engine):
    with Session(engine, expire_on_commit=False) as request:
        intruder = _actor(request, Role.client, "Intruder")
        audit.record_refusal(request, intruder, "goal", record_type="goal", record_id=7)
        request.commit()
        request.rollback()  # a later transaction end writes nothing more
    with Session(engine) as check:
        denied = check.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.denied))
        assert [e.record_id for e in denied.all()] == ["7"]


def test_record_saved_saves_the_row_and_names_it_in_the_event(session):
    worker = _actor(session, Role.case_worker, "Worker")
    client = _actor(session, Role.client, "Client")
    note = User(display_name="Not yet stored")
    event = audit.record_saved(
        session,
        worker,
        AuditAction.create,
        "identity",
        note,
        "user",
        subject_id=client.user_id,
        details={"why": "test"},
    )
    assert note.id is not None
    assert session.get(User, note.id) is note
    assert event is not None and event.id is not None
    assert (event.record_type, event.record_id) == ("user", str(note.id))
    assert (event.subject_id, event.details) == (client.user_id, {"why": "test"})
    assert (event.action, event.category, event.actor_id) == (
        AuditAction.create,
        "identity",
        worker.user_id,
    )
