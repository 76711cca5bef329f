"""The client's self-assessments: start, one section per screen, review, send, results."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app import navigation
from app.deps import ClientAssessments, ClientView, DbSession
from app.errors import NotFound
from app.forms import Id
from app.i18n import get_locale, lazy_gettext
from app.models.actor import Actor
from app.models.assessment import Assessment, AssessmentStatus
from app.models.user import Role
from app.routes.formdata import PostedForm
from app.routes.responses import done
from app.services.assessment import assessments, results
from app.services.assessment.instruments import Instrument, Section, pick
from app.templating import is_htmx, render

router = APIRouter(prefix="/oma/arviointi")
navigation.register(
    "/oma/arviointi",
    lazy_gettext("My self-assessment"),
    {Role.client},
    20,
    group=navigation.MORE,
)

BASE = "/oma/arviointi"


def _section(instrument: Instrument, assessment: Assessment, index: int) -> list[Section]:
    sections = instrument.visible_sections(assessment.answers)
    if not 1 <= index <= len(sections):
        raise NotFound()
    return sections


@router.get("")
def overview(request: Request, session: DbSession, actor: ClientView) -> Response:
    locale = get_locale()
    history = assessments.history(session, actor)
    drafts = [a for a in history if a.status == AssessmentStatus.draft]
    submitted = [a for a in history if a.status == AssessmentStatus.submitted]
    titles = {a.id: pick(assessments.instrument_of(a).title, locale) for a in history if a.id}
    return render(
        request,
        "assessment/client/overview.html",
        {
            "cards": results.instrument_cards(session, actor.subject_id, drafts, locale),
            "submitted": submitted,
            "titles": titles,
        },
    )


@router.post("/aloita")
def start(
    request: Request, session: DbSession, actor: ClientAssessments, form: PostedForm
) -> Response:
    assessment = assessments.start_or_resume(session, actor, str(form.get("instrument", "")))
    return done(request, f"{BASE}/{assessment.id}/osio/1")


def _section_page(
    request: Request,
    assessment: Assessment,
    index: int,
    values: dict | None = None,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    instrument = assessments.instrument_of(assessment)
    sections = _section(instrument, assessment, index)
    answered, total = assessments.steady_progress(instrument, assessment)
    current = {
        **{
            i.id: assessment.answers.get(i.id, [] if i.type == "multi" else "")
            for i in sections[index - 1].items
        },
        **{f"skip-{s}": True for s in assessment.skipped},
        **(values or {}),
    }
    return render(
        request,
        "assessment/client/section.html",
        {
            "assessment": assessment,
            "instrument": instrument,
            "section": sections[index - 1],
            "index": index,
            "count": len(sections),
            "done": answered,
            "total": total,
            "minutes_left": assessments.minutes_left(instrument, assessment),
            "values": current,
            "errors": errors or {},
            "pick": pick,
            "locale": get_locale(),
        },
        status_code=status_code,
    )


@router.get("/{assessment_id}/osio/{index}")
def section_page(
    request: Request, assessment_id: Id, index: Id, session: DbSession, actor: ClientAssessments
) -> Response:
    assessment = assessments.own_assessment(session, actor, assessment_id)
    if assessment.status == AssessmentStatus.submitted:
        return done(request, f"{BASE}/{assessment.id}/tulokset")
    return _section_page(request, assessment, index)


@router.post("/{assessment_id}/osio/{index}")
def save_section(
    request: Request,
    assessment_id: Id,
    index: Id,
    session: DbSession,
    actor: ClientAssessments,
    form: PostedForm,
) -> Response:
    assessment = assessments.own_assessment(session, actor, assessment_id)
    instrument = assessments.instrument_of(assessment)
    section = _section(instrument, assessment, index)[index - 1]
    data = {key: form.getlist(key) for key in form}
    version = form.get("instrument_version")
    saved = assessments.save_section(
        session, actor, assessment, section, data, str(version) if version else None
    )
    action = form.get("action")
    if is_htmx(request) and (form.get("autosave") or not action):
        # Autosave as the client answers: a status line, never a page change (htmx also sends
        # the last focused submit button's value, so the action is ignored here).
        return render(
            request,
            "assessment/client/_save_status.html",
            {"errors": saved.errors},
            status_code=422 if saved.errors else 200,
        )
    if saved.errors:
        return _section_page(request, assessment, index, saved.values, saved.errors, 422)
    count = len(instrument.visible_sections(assessment.answers))
    if action == "back":
        target = f"{BASE}/{assessment.id}/osio/{max(1, index - 1)}"
    elif action == "later":
        target = BASE
    elif index >= count:
        target = f"{BASE}/{assessment.id}/tarkista"
    else:
        target = f"{BASE}/{assessment.id}/osio/{index + 1}"
    return done(request, target)


@router.get("/{assessment_id}/tarkista")
def review(
    request: Request, assessment_id: Id, session: DbSession, actor: ClientAssessments
) -> Response:
    assessment = assessments.own_assessment(session, actor, assessment_id)
    if assessment.status == AssessmentStatus.submitted:
        return done(request, f"{BASE}/{assessment.id}/tulokset")
    instrument = assessments.instrument_of(assessment)
    answered, total = assessments.progress(instrument, assessment)
    return render(
        request,
        "assessment/client/review.html",
        {
            "assessment": assessment,
            "title": pick(instrument.title, get_locale()),
            "rows": results.answer_rows(instrument, assessment, get_locale()),
            "count": len(instrument.visible_sections(assessment.answers)),
            "done": answered,
            "total": total,
        },
    )


@router.post("/{assessment_id}/laheta")
def submit(
    request: Request,
    assessment_id: Id,
    session: DbSession,
    actor: ClientAssessments,
    form: PostedForm,
) -> Response:
    assessment = assessments.own_assessment(session, actor, assessment_id)
    version = form.get("instrument_version")
    sent = assessments.submit(session, actor, assessment, str(version) if version else None)
    # Sending twice changes nothing; only the first time says thank you.
    return done(request, f"{BASE}/{assessment.id}/tulokset" + ("?lahetetty=1" if sent else ""))


def _results(
    request: Request, session: Session, actor: Actor, assessment_id: int, template: str
) -> Response:
    assessment = assessments.own_assessment(session, actor, assessment_id)
    if assessment.status != AssessmentStatus.submitted:
        return done(request, f"{BASE}/{assessment.id}/tarkista")
    view = results.build(session, assessment, get_locale())
    names = results.category_names(session, [s.category for s in view.suggestions], get_locale())
    return render(
        request,
        template,
        {
            "r": view,
            "category_names": names,
            "print_url": f"{BASE}/{assessment.id}/tulosta",
            "back_url": BASE,
            "just_sent": request.query_params.get("lahetetty") == "1",
        },
    )


@router.get("/{assessment_id}/tulokset")
def results_page(
    request: Request, assessment_id: Id, session: DbSession, actor: ClientView
) -> Response:
    return _results(request, session, actor, assessment_id, "assessment/client/results.html")


@router.get("/{assessment_id}/tulosta")
def print_view(
    request: Request, assessment_id: Id, session: DbSession, actor: ClientView
) -> Response:
    return _results(request, session, actor, assessment_id, "assessment/client/print.html")
