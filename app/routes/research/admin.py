"""Organiser admins: the experiment's design, the arm comparison report and the research export."""

from __future__ import annotations

from typing import Unpack

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from app.deps import Admin, DbSession
from app.forms import parse_form
from app.i18n import lazy_gettext
from app.models.audit import AuditAction, AuditPurpose
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, render_form
from app.services import audit
from app.services.identity.mandates import today as finnish_today
from app.services.research import arm_report, experiment, export, randomisation, teaming_report
from app.templating import render

router = APIRouter()
register("/hallinto/koe", lazy_gettext("Experiment"), {Role.admin}, order=70)


class ExperimentForm(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    frame_arms: list[str] = Field(default_factory=list)
    teaming_arms: list[str] = Field(default_factory=list)
    block_size: int = Field(ge=2, le=40)
    seed: str = Field(default="", max_length=64)
    is_active: bool = False


def _page(
    request: Request, session: DbSession, actor: Admin, **shown: Unpack[FormShown]
) -> Response:
    organiser_id = experiment.admin_organiser(actor)
    current = experiment.current_experiment(session, organiser_id)
    allocations = experiment.allocations_of(session, current) if current else []
    defaults = (
        {
            "name": current.name,
            "frame_arms": current.frame_arms,
            "teaming_arms": current.teaming_arms,
            "block_size": current.block_size,
            "seed": current.seed,
            "is_active": current.is_active,
        }
        if current
        else {
            "frame_arms": ["A", "B"],
            "teaming_arms": ["C", "none"],
            "block_size": 4,
            "is_active": True,
        }
    )
    context = {
        "experiment": current,
        "counts": experiment.counts(allocations),
        "not_reproduced": experiment.reproduce(current, allocations) if current else [],
    }
    return render_form(
        request, "research/admin/experiment.html", context, defaults=defaults, **shown
    )


@router.get("/hallinto/koe")
def experiment_page(request: Request, session: DbSession, actor: Admin) -> Response:
    audit.record(
        session, actor, AuditAction.read, experiment.CATEGORY, subject_id=None,
        purpose=AuditPurpose.admin,
    )  # fmt: skip
    return _page(request, session, actor)


@router.post("/hallinto/koe")
def save_experiment(
    request: Request, session: DbSession, actor: Admin, posted: PostedForm
) -> Response:
    values, form, errors = parse_form(ExperimentForm, posted)
    if form is not None:
        frame = [a for a in form.frame_arms if a in randomisation.FRAME_ARMS]
        teaming = [a for a in form.teaming_arms if a in randomisation.TEAMING_ARMS]
        n_arms = len(randomisation.combined_arms(frame, teaming))
        if not randomisation.valid_block_size(form.block_size, n_arms):
            errors["block_size"] = str(
                lazy_gettext(
                    "The block size must be a multiple of the number of arms (%(n)s).", n=n_arms
                )
            )
        else:
            try:
                experiment.save_design(
                    session,
                    actor,
                    experiment.Design(
                        form.name, frame, teaming, form.block_size, form.seed, form.is_active
                    ),
                )
            except experiment.LockedDesign as exc:
                errors["block_size"] = exc.text()
    if errors:
        values.setdefault("frame_arms", [])
        values.setdefault("teaming_arms", [])
        return _page(request, session, actor, values=values, errors=errors)
    return RedirectResponse("/hallinto/koe?tallennettu=1", status_code=303)


@router.get("/hallinto/koe/vertailu")
def arm_comparison(request: Request, session: DbSession, actor: Admin) -> Response:
    report = arm_report.build(session, actor, "html")
    teaming = teaming_report.build(session, report.experiment, finnish_today())
    return render(
        request,
        "research/admin/arm_report.html",
        {
            "report": report,
            "min_cell": arm_report.MIN_CELL,
            "metrics": arm_report.METRICS,
            "teaming": teaming,
        },
    )


@router.get("/hallinto/koe/vertailu.csv")
def arm_comparison_csv(session: DbSession, actor: Admin) -> Response:
    report = arm_report.build(session, actor, "csv")
    return _csv(arm_report.to_csv(report), "koe-vertailu.csv")


@router.get("/hallinto/koe/tutkimusaineisto.csv")
def research_csv(session: DbSession, actor: Admin) -> Response:
    header, body = export.rows(session, actor)
    return _csv(export.to_csv(header, body), "tutkimusaineisto.csv")


def _csv(body: str, filename: str) -> Response:
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
