from sqlalchemy import text
from sqlmodel import Session, select

from app.models.actor import Actor
from app.models.audit import AuditAction, AuditEvent, AuditHead
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


def _three_reads(session) -> None:
    worker = _actor(session, Role.case_worker, "Worker")
    client = _actor(session, Role.client, "Client")
    for i in range(3):
        audit.record(
            session, worker, AuditAction.read, "budget", subject_id=client.user_id, record_id=i
        )
    session.commit()


def _events(session) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)).all())


def test_deleting_the_newest_rows_is_found(session):
    _three_reads(session)
    assert audit.verify(session) == []
    tamper(session, "DELETE FROM audit_event WHERE id = 3")
    problems = audit.verify(session)
    assert [p.event_id for p in problems] == [3]
    assert "removed" in problems[0].problem


def test_deleting_the_newest_rows_and_moving_the_head_without_the_key_is_found(session):
    _three_reads(session)
    second = _events(session)[1]
    tamper(session, "DELETE FROM audit_event WHERE id = 3")
    # The attacker moves the head onto row 2, but cannot seal it without the key.
    tamper(
        session,
        f"UPDATE audit_head SET last_id = 2, row_count = row_count - 1, "
        f"last_hash = '{second.row_hash}'",
    )
    problems = audit.verify(session)
    assert [p.problem for p in problems] == ["the chain's head does not match the audit key"]


def test_editing_a_row_and_recomputing_the_later_hashes_is_found(session):
    """Without the key, an attacker can only recompute plain SHA-256 hashes (all the old,
    unkeyed chain asked for): the keyed chain refuses them from the edited row on."""
    import hashlib

    from app.services.audit_hash import _canonical

    _three_reads(session)
    tamper(session, "UPDATE audit_event SET category = 'goal' WHERE id = 2")
    prev = _events(session)[0].row_hash
    for event in _events(session)[1:]:
        row_hash = hashlib.sha256((prev + _canonical(event)).encode()).hexdigest()
        tamper(
            session,
            f"UPDATE audit_event SET prev_hash = '{prev}', row_hash = '{row_hash}' "
            f"WHERE id = {event.id}",
        )
        prev = row_hash
    tamper(session, f"UPDATE audit_head SET last_hash = '{prev}'")
    problems = audit.verify(session)
    assert {p.event_id for p in problems if "content" in p.problem} == {2, 3}
    assert any("audit key" in p.problem for p in problems)


def test_each_append_moves_the_sealed_head(session):
    _three_reads(session)
    head = session.get(AuditHead, 1)
    last = _events(session)[-1]
    assert (head.last_id, head.last_hash, head.row_count) == (last.id, last.row_hash, 3)
    assert head.mac == audit.head_mac(head)


def test_concurrent_appends_keep_one_chain(engine):
    from concurrent.futures import ThreadPoolExecutor

    with Session(engine, expire_on_commit=False) as setup:
        worker = _actor(setup, Role.case_worker, "Worker")
        client = _actor(setup, Role.client, "Client")
        setup.commit()

    def append(i: int) -> None:
        with Session(engine) as s:
            audit.record(
                s, worker, AuditAction.read, "budget", subject_id=client.user_id, record_id=i
            )
            s.commit()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(append, range(40)))
    with Session(engine) as check:
        assert audit.verify(check) == []
        assert check.get(AuditHead, 1).row_count == 40


def test_rows_from_before_the_key_verify_with_the_old_scheme_up_to_the_boundary(db_url):
    """Migration 0010 leaves the unkeyed rows as they are and pins where they end."""
    import hashlib

    from alembic import command

    from app.db import make_engine
    from app.migrate import alembic_config
    from app.services.audit_hash import _canonical

    command.downgrade(alembic_config(db_url), "0009_reports")
    engine = make_engine(db_url)
    try:
        with Session(engine, expire_on_commit=False) as old:
            prev = audit.GENESIS
            for i in range(2):
                event = AuditEvent(
                    action=AuditAction.read, category="budget", purpose="care", record_id=str(i)
                )
                event.prev_hash = prev
                event.row_hash = audit.legacy_hash(prev, event)
                old.add(event)
                old.flush()
                prev = event.row_hash
            old.commit()
        command.upgrade(alembic_config(db_url), "head")
        with Session(engine, expire_on_commit=False) as s:
            head = s.get(AuditHead, 1)
            assert (head.legacy_last_id, head.legacy_last_hash, head.row_count) == (2, prev, 2)
            _three_reads(s)
            assert audit.verify(s) == []
            # Rewrite the first legacy row and recompute the legacy part's SHA-256 chain.
            tamper(s, "UPDATE audit_event SET category = 'goal' WHERE id = 1")
            prev = audit.GENESIS
            for event in _events(s)[:2]:
                row_hash = hashlib.sha256((prev + _canonical(event)).encode()).hexdigest()
                tamper(
                    s,
                    f"UPDATE audit_event SET prev_hash = '{prev}', row_hash = '{row_hash}' "
                    f"WHERE id = {event.id}",
                )
                prev = row_hash
            problems = audit.verify(s)
            assert (3, "previous hash does not match") in [
                (p.event_id, p.problem) for p in problems
            ]
            assert any("before the key" in p.problem for p in problems)
    finally:
        engine.dispose()
