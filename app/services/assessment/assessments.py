"""Filling in, saving, submitting and reading self-assessments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from app.errors import AppError, Conflict, Forbidden, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.assessment import Assessment, AssessmentStatus
from app.models.audit import AuditAction
from app.models.base import utcnow
from app.models.user import Membership, Role
from app.repositories.assessment import own_assessments, readable_assessments
from app.services import audit
from app.services.assessment import instruments, scoring
from app.services.assessment.instruments import Instrument, Item, Section
from app.services.assessment.ownership import own_or_refuse

CATEGORY = "assessment"


class NotYourAssessment(Forbidden):
    default_text = lazy_gettext("This assessment belongs to someone else.")


class AlreadySubmitted(Conflict):
    default_text = lazy_gettext(
        "This assessment has already been sent and can no longer be changed."
    )


class VersionMismatch(Conflict):
    default_text = lazy_gettext(
        "The questionnaire has changed since this page was opened. Please reload the page."
    )


class UnknownInstrument(NotFound):
    pass


def instrument_of(assessment: Assessment) -> Instrument:
    found = instruments.get(assessment.instrument_key, assessment.instrument_version)
    if found is None:
        raise AppError(status_code=500)
    return found


def start_or_resume(session: Session, actor: Actor, key: str) -> Assessment:
    """The client's open draft of this instrument, or a new one on the latest version."""
    draft = session.exec(
        readable_assessments(actor)
        .where(
            Assessment.client_id == actor.subject_id,
            Assessment.instrument_key == key,
            Assessment.status == AssessmentStatus.draft,
        )
        .order_by(col(Assessment.id).desc())
    ).first()
    if draft is not None:
        return draft
    instrument = instruments.latest(key)
    if instrument is None:
        raise UnknownInstrument()
    assessment = Assessment(
        client_id=actor.subject_id,
        instrument_key=key,
        instrument_version=instrument.version,
        with_assistant=actor.on_behalf_of is not None,
        last_edited_by_id=actor.user_id,
    )
    audit.record_saved(session, actor, AuditAction.create, CATEGORY, assessment, "assessment")
    return assessment


def own_assessment(session: Session, actor: Actor, assessment_id: int) -> Assessment:
    """The client's own assessment; someone else's is refused (403) and audit-logged."""
    return own_or_refuse(
        session, actor, own_assessments(actor), assessment_id, CATEGORY, NotYourAssessment
    )


@dataclass
class SaveResult:
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # what was sent, for re-rendering


def _validate(item: Item, raw: Sequence[str]) -> tuple[Any, str | None]:
    """(value, error message or None). An empty answer is (None, None)."""
    cleaned = [v.strip() for v in raw if v is not None and v.strip()]
    if item.type == "multi":
        allowed = set(item.values())
        if any(v not in allowed for v in cleaned):
            return None, str(lazy_gettext("Choose from the options shown."))
        return sorted(set(cleaned), key=item.values().index), None
    if not cleaned:
        return None, None
    value = cleaned[-1]
    if item.type == "text":
        if len(value) > item.max_length:
            return None, str(
                lazy_gettext("Write at most %(max)d characters.") % {"max": item.max_length}
            )
        return value, None
    if value not in item.values():
        if item.type == "scale10":
            return None, str(lazy_gettext("Choose a number from 0 to 10."))
        return None, str(lazy_gettext("Choose from the options shown."))
    return value, None


def save_section(
    session: Session,
    actor: Actor,
    assessment: Assessment,
    section: Section,
    form: Mapping[str, Sequence[str]],
    version: str | None,
) -> SaveResult:
    """Save the answers of one section. Valid answers are kept even if another one is bad."""
    if assessment.status != AssessmentStatus.draft:
        raise AlreadySubmitted()
    if version != str(assessment.instrument_version):
        raise VersionMismatch()
    result = SaveResult()
    answers = dict(assessment.answers)
    skipped = [s for s in assessment.skipped if s not in {i.id for i in section.items}]
    for item in section.items:
        raw = list(form.get(f"a-{item.id}", []))
        result.values[item.id] = raw if item.type == "multi" else (raw[-1] if raw else "")
        if form.get(f"skip-{item.id}"):
            answers.pop(item.id, None)
            skipped.append(item.id)
            result.values[f"skip-{item.id}"] = True
            continue
        value, error = _validate(item, raw)
        if error:
            result.errors[item.id] = error
            continue
        if value in (None, []):
            answers.pop(item.id, None)
        else:
            answers[item.id] = value
    assessment.answers = answers
    assessment.skipped = skipped
    assessment.last_edited_by_id = actor.user_id
    assessment.updated_at = utcnow()
    _save_change(session, actor, assessment, {"section": section.id})
    return result


def _save_change(
    session: Session, actor: Actor, assessment: Assessment, details: dict[str, Any]
) -> None:
    """Save and log a change; one made by an assistant marks the assessment as such."""
    if actor.on_behalf_of is not None:
        assessment.with_assistant = True
    audit.record_saved(
        session, actor, AuditAction.update, CATEGORY, assessment, "assessment", details=details
    )


def progress(instrument: Instrument, assessment: Assessment) -> tuple[int, int]:
    """(answered or skipped items, all items) in the visible sections."""
    items = [i.id for s in instrument.visible_sections(assessment.answers) for i in s.items]
    done = sum(1 for i in items if i in assessment.answers or i in assessment.skipped)
    return done, len(items)


def steady_progress(instrument: Instrument, assessment: Assessment) -> tuple[int, int]:
    """(items done, all items of the instrument) for the progress bar: the total never changes
    while the client answers. The items of a part an answer left out (no children, no
    parenthood part) count as done, since there is nothing to answer in it."""
    visible = {s.id for s in instrument.visible_sections(assessment.answers)}
    total = done = 0
    for section in instrument.sections:
        left_out = (
            section.id not in visible
            and section.show_if is not None
            and section.show_if.item in assessment.answers
        )  # decided by an answer; a part still undecided waits like any other
        for item in section.items:
            total += 1
            answered = item.id in assessment.answers or item.id in assessment.skipped
            done += 1 if left_out or (section.id in visible and answered) else 0
    return done, total


def minutes_left(instrument: Instrument, assessment: Assessment) -> int:
    done, total = steady_progress(instrument, assessment)
    if not total:
        return 0
    return max(1, round(instrument.minutes * (total - done) / total)) if done < total else 0


def submit(session: Session, actor: Actor, assessment: Assessment, version: str | None) -> bool:
    """Fix the scores and send. Returns False when it had already been sent (nothing changes)."""
    if assessment.status == AssessmentStatus.submitted:
        return False
    if version != str(assessment.instrument_version):
        raise VersionMismatch()
    instrument = instrument_of(assessment)
    assessment.scores = scoring.domain_scores(instrument, assessment.answers)
    assessment.status = AssessmentStatus.submitted
    assessment.submitted_at = utcnow()
    _save_change(session, actor, assessment, {"submitted": True})
    return True


def history(session: Session, actor: Actor) -> list[Assessment]:
    return list(
        session.exec(
            readable_assessments(actor)
            .where(Assessment.client_id == actor.subject_id)
            .order_by(col(Assessment.created_at).desc(), col(Assessment.id).desc())
        ).all()
    )


def baseline_for(session: Session, assessment: Assessment) -> Assessment | None:
    """The client's first submitted assessment of the same instrument, if not this one."""
    first = session.exec(
        select(Assessment)
        .where(
            Assessment.client_id == assessment.client_id,
            Assessment.instrument_key == assessment.instrument_key,
            Assessment.status == AssessmentStatus.submitted,
        )
        .order_by(col(Assessment.submitted_at), col(Assessment.id))
    ).first()
    return None if first is None or first.id == assessment.id else first


def latest_submitted(session: Session, client_id: int, key: str) -> Assessment | None:
    return session.exec(
        select(Assessment)
        .where(
            Assessment.client_id == client_id,
            Assessment.instrument_key == key,
            Assessment.status == AssessmentStatus.submitted,
        )
        .order_by(col(Assessment.submitted_at).desc(), col(Assessment.id).desc())
    ).first()


def client_municipality(session: Session, client_id: int) -> str | None:
    return session.exec(
        select(Membership.municipality_code).where(
            Membership.user_id == client_id, Membership.role == Role.client
        )
    ).first()


def readable_assessment(session: Session, actor: Actor, assessment_id: int) -> Assessment:
    """For staff: a submitted assessment of their own client (read is audit-logged), else 404."""
    assessment = session.exec(
        readable_assessments(actor).where(Assessment.id == assessment_id)
    ).first()
    if assessment is None:
        raise NotFound()
    audit.record(
        session,
        actor,
        AuditAction.read,
        CATEGORY,
        subject_id=assessment.client_id,
        record_type="assessment",
        record_id=assessment.id,
    )
    return assessment


def submitted_of_client(session: Session, actor: Actor, client_id: int) -> list[Assessment]:
    return list(
        session.exec(
            readable_assessments(actor)
            .where(
                Assessment.client_id == client_id,
                Assessment.status == AssessmentStatus.submitted,
            )
            .order_by(col(Assessment.submitted_at).desc())
        ).all()
    )
