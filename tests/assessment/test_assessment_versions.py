"""An answered assessment keeps its instrument version; a new version never changes old results."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from app.models.actor import Actor
from app.models.assessment import Assessment
from app.models.user import Membership, Role, User
from app.services.assessment import assessments, instruments, results


def _client(session: Session) -> Actor:
    user = User(display_name="Testi Asiakas")
    session.add(user)
    session.flush()
    member = Membership(user_id=user.id, role=Role.client)
    session.add(member)
    session.flush()
    return Actor(user=user, memberships=(member,))


def _v2() -> instruments.Instrument:
    v1 = instruments.get("life-situation", 1)
    assert v1 is not None
    # Version 2 reverses the overall question: the same answer would now score differently.
    g1 = replace(v1.items_by_id["g1"], reverse=True)
    items = {**v1.items_by_id, "g1": g1}
    sections = tuple(replace(s, items=tuple(items[i.id] for i in s.items)) for s in v1.sections)
    return replace(v1, version=2, sections=sections, items_by_id=items)


def test_old_answers_keep_their_version(session: Session, monkeypatch):
    actor = _client(session)
    old = assessments.start_or_resume(session, actor, "life-situation")
    section = instruments.get("life-situation", 1).sections[1]  # type: ignore[union-attr]
    assessments.save_section(session, actor, old, section, {"a-g1": ["8"]}, "1")
    assert assessments.submit(session, actor, old, "1")
    assert old.scores is not None and old.scores["general"] == 8.0

    registry = dict(instruments.registry())
    registry[("life-situation", 2)] = _v2()
    monkeypatch.setattr(instruments, "registry", lambda: registry)

    new = assessments.start_or_resume(session, actor, "life-situation")
    assert new.id != old.id and new.instrument_version == 2
    assessments.save_section(session, actor, new, _v2().sections[1], {"a-g1": ["8"]}, "2")
    assessments.submit(session, actor, new, "2")
    assert new.scores is not None and new.scores["general"] == 2.0

    session.expire_all()
    stored = session.get(Assessment, old.id)
    assert stored is not None and stored.instrument_version == 1
    assert stored.scores is not None and stored.scores["general"] == 8.0
    view = results.build(session, stored, "fi")
    assert view.instrument.version == 1
    assert next(r for r in view.rows if r.title == "Yleinen hyvinvointi").score == 8.0
    # The follow-up compares with the first one, each scored with its own version.
    follow_up = results.build(session, new, "fi")
    general = next(r for r in follow_up.rows if r.number == 1)
    assert (general.baseline, general.score, general.change) == (8.0, 2.0, "worse")
    assert follow_up.radar is not None and len(follow_up.radar.series) == 2


def test_an_assistant_acting_for_the_client_is_recorded(session: Session):
    client = _client(session)
    helper = User(display_name="Avustaja")
    session.add(helper)
    session.flush()
    assistant = Actor(
        user=helper,
        memberships=(Membership(user_id=helper.id, role=Role.assistant),),
        on_behalf_of=client.user,
        mandate_scopes=frozenset({"assessments"}),
    )
    assessment = assessments.start_or_resume(session, assistant, "profile")
    assert assessment.client_id == client.user_id and assessment.with_assistant
    section = instruments.get("profile", 1).sections[0]  # type: ignore[union-attr]
    assessments.save_section(session, assistant, assessment, section, {"a-language": ["sv"]}, "1")
    assert assessment.last_edited_by_id == helper.id
    # The client continues alone: the flag stays, reports can still separate helped answers.
    assert assessments.start_or_resume(session, client, "profile").id == assessment.id
    assessments.submit(session, client, assessment, "1")
    assert assessment.with_assistant
