"""Case workers: their own clients' submitted self-assessments and goals (every read logged)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import CaseWorker, DbSession
from app.forms import Id
from app.i18n import get_locale
from app.services.assessment import caseload, results
from app.services.assessment.instruments import pick
from app.templating import render

router = APIRouter(prefix="/tyo")


@router.get("/asiakkaat/{client_id}/arviointi")
def client_assessments(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker
) -> Response:
    view = caseload.client_overview(session, actor, client_id)
    titles = {a.id: pick(caseload.title_of(a), get_locale()) for a in view.assessments}
    return render(
        request, "assessment/caseworker/client_assessments.html", {"v": view, "titles": titles}
    )


@router.get("/arvioinnit/{assessment_id}")
def assessment_results(
    request: Request, assessment_id: Id, session: DbSession, actor: CaseWorker
) -> Response:
    assessment = caseload.assessment(session, actor, assessment_id)
    view = results.build(session, assessment, get_locale())
    names = results.category_names(session, [s.category for s in view.suggestions], get_locale())
    return render(
        request,
        "assessment/caseworker/assessment.html",
        {
            "r": view,
            "category_names": names,
            "back_url": f"/tyo/asiakkaat/{assessment.client_id}/arviointi",
        },
    )
