"""The pseudonymous research data set: one row per consenting client, no real identity.

Each client gets a study code in the style of the evaluation plan (seed 003): pilot,
client group, worker and ordinal, e.g. "JAR-DIS-03-0017". The code is built from the
organiser's code, the client group, the case worker's ordinal among the organiser's
workers and the client's ordinal in the order consents were first given; no name, id,
municipality or date is in the file. Only clients whose consent is in force are included
(`scope.population`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.audit import AuditAction, AuditPurpose
from app.models.organiser import Organiser
from app.models.research import Allocation, ConsentEvent
from app.models.user import Membership, Role
from app.repositories.scope import organiser_clients
from app.services import audit, exports
from app.services.budget import frames
from app.services.research import arm_report, scope
from app.services.research import experiment as experiment_service

GROUP_CODES = {
    "disability": "DIS",
    "intellectual-disability": "INT",
    "family-carer": "FAM",
    "child-special-needs": "CHI",
    "youth-aftercare": "YOU",
    "adult-social-work": "ADU",
    "mental-health": "MEN",
}


@dataclass(frozen=True)
class StudyClient:
    client_id: int
    code: str
    group: str
    worker: int
    ordinal: int


def group_code(group: str | None) -> str:
    return GROUP_CODES.get(group or "", "OTH")


def study_codes(session: Session, organiser: Organiser, client_ids: set[int]) -> list[StudyClient]:
    members = session.exec(
        select(Membership).where(
            Membership.role == Role.client, Membership.organiser_id == organiser.id
        )
    ).all()
    workers = sorted({m.case_worker_id for m in members if m.case_worker_id is not None})
    worker_no = {w: n for n, w in enumerate(workers, start=1)}
    first_consent: dict[int, int] = {}
    for client_id, event_id in session.exec(
        select(ConsentEvent.client_id, ConsentEvent.id)
        .where(col(ConsentEvent.client_id).in_(list(client_ids)))
        .order_by(col(ConsentEvent.id))
    ).all():
        first_consent.setdefault(client_id, event_id)
    order = sorted(client_ids, key=lambda cid: first_consent.get(cid, 0))
    ordinal = {cid: n for n, cid in enumerate(order, start=1)}
    pilot = organiser.code[:3].upper()
    result = []
    for m in members:
        if m.user_id not in client_ids:
            continue
        worker = worker_no.get(m.case_worker_id or -1, 0)
        code = f"{pilot}-{group_code(m.client_group)}-{worker:02d}-{ordinal[m.user_id]:04d}"
        result.append(
            StudyClient(m.user_id, code, group_code(m.client_group), worker, ordinal[m.user_id])
        )
    return sorted(result, key=lambda s: s.code)


def rows(session: Session, actor: Actor) -> tuple[list[str], list[list[str]]]:
    organiser_id = experiment_service.admin_organiser(actor)
    organiser = session.get(Organiser, organiser_id)
    assert organiser is not None
    eligible = organiser_clients(actor).where(Membership.organiser_id == organiser_id)
    counted = scope.population(session, "research_export", eligible)
    consenting = set(session.exec(counted.ids).all())
    study = study_codes(session, organiser, consenting)
    experiment = experiment_service.current_experiment(session, organiser_id)
    allocations = {
        a.client_id: a
        for a in (
            session.exec(select(Allocation).where(Allocation.experiment_id == experiment.id)).all()
            if experiment
            else []
        )
    }
    pseudo = [
        allocations.get(s.client_id)
        or Allocation(
            experiment_id=0,
            client_id=s.client_id,
            stratum="",
            sequence=0,
            frame_arm="",
            teaming=False,
        )
        for s in study
    ]
    outcomes = {o.client_id: o for o in arm_report.collect(session, pseudo)}
    categories = frames.categories(session, organiser_id)
    header = [
        "study_code",
        "pilot",
        "client_group",
        "worker",
        "ordinal",
        "enrolled",
        "frame_arm",
        "teaming",
        "assessment_with_help",
        "first_submission_confirmed",
        "days_frame_to_confirmation",
        "wellbeing_first",
        "wellbeing_latest",
        "gas_t_score",
        *[f"spend_{c.slug}_cents" for c in categories],
    ]

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        return str(value)

    body = []
    for s in study:
        o = outcomes[s.client_id]
        enrolled = s.client_id in allocations
        body.append(
            [
                s.code,
                organiser.code[:3].upper(),
                s.group,
                f"{s.worker:02d}",
                f"{s.ordinal:04d}",
                cell(enrolled),
                o.frame_arm if enrolled else "",
                cell(o.teaming) if enrolled else "",
                cell(o.with_help),
                cell(o.first_confirmed),
                cell(o.days_to_confirmation),
                cell(o.wellbeing_first),
                cell(o.wellbeing_latest),
                cell(o.gas_t),
                *[str(o.spend_cents.get(c.id, 0)) for c in categories if c.id],
            ]
        )
    audit.record(
        session,
        actor,
        AuditAction.export,
        "research_export",
        subject_id=None,
        purpose=AuditPurpose.report,
        details={"rows": len(body)},
    )
    return header, body


def to_csv(header: list[str], body: list[list[str]]) -> str:
    return exports.to_csv([header, *body])
