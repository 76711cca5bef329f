"""The case worker's research page for a client: paper consent and enrolment in the experiment."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from app.deps import CaseWorker, DbSession
from app.forms import parse_form
from app.models.audit import AuditAction
from app.models.user import User
from app.routes.formdata import PostedForm
from app.services import audit
from app.services.identity.mandates import in_caseload
from app.services.research import consent, experiment
from app.templating import render

router = APIRouter()


class PaperConsentForm(BaseModel):
    given: Literal["yes", "no"]
    note: str = Field(default="", max_length=500)


def _page(
    request: Request,
    session: DbSession,
    actor: CaseWorker,
    client_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    enrol_error: str | None = None,
    status: int = 200,
) -> Response:
    member = in_caseload(session, actor, client_id)
    assert member.organiser_id is not None
    context = {
        "client": session.get(User, client_id),
        "current": consent.current(session, client_id),
        "history": consent.history(session, client_id),
        "experiment": experiment.active_experiment(session, member.organiser_id),
        # Shown only once the client has been randomised (allocation concealment).
        "allocation": experiment.allocation_for_client(session, client_id),
        "errors": errors or {},
        "values": values or {},
        "enrol_error": enrol_error,
    }
    return render(request, "research/caseworker/research.html", context, status_code=status)


@router.get("/asiakkaat/{client_id}/tutkimus")
def research_page(
    request: Request, client_id: int, session: DbSession, actor: CaseWorker
) -> Response:
    in_caseload(session, actor, client_id)
    audit.record(session, actor, AuditAction.read, consent.CATEGORY, subject_id=client_id)
    return _page(request, session, actor, client_id)


@router.post("/asiakkaat/{client_id}/tutkimus/suostumus")
def paper_consent(
    request: Request, client_id: int, session: DbSession, actor: CaseWorker, posted: PostedForm
) -> Response:
    in_caseload(session, actor, client_id)
    values, form, errors = parse_form(PaperConsentForm, posted)
    if form is None:
        return _page(request, session, actor, client_id, errors=errors, values=values, status=422)
    consent.record_paper(session, actor, client_id, form.given == "yes", form.note)
    return RedirectResponse(f"/asiakkaat/{client_id}/tutkimus?tallennettu=1", status_code=303)


@router.post("/asiakkaat/{client_id}/tutkimus/satunnaista")
def enrol(request: Request, client_id: int, session: DbSession, actor: CaseWorker) -> Response:
    in_caseload(session, actor, client_id)
    try:
        experiment.enrol(session, actor, client_id)
    except experiment.NotEnrollable as exc:
        return _page(request, session, actor, client_id, enrol_error=exc.text(), status=409)
    return RedirectResponse(f"/asiakkaat/{client_id}/tutkimus?satunnaistettu=1", status_code=303)
