"""Organiser admin: review provider applications (approve, reject, suspend) and the taxonomy."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.deps import Admin, DbSession
from app.forms import Id, parse_form
from app.i18n import gettext, lazy_gettext
from app.models.provider import ApprovalStatus
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import done, render_form
from app.services.catalogue import listings, taxonomy
from app.templating import render

router = APIRouter(prefix="/hallinto")
register("/hallinto/tuottajat", lazy_gettext("Providers"), {Role.admin}, 40)
register("/hallinto/luokat", lazy_gettext("Service categories"), {Role.admin}, 41)

SLUG_RE = re.compile(r"^[a-z0-9-]{2,60}$")


class DecisionForm(BaseModel):
    action: str = Field(pattern="^(approve|reject|suspend)$")
    reason: str = Field(default="", max_length=2000)
    insurance: bool = False
    self_monitoring_plan: bool = False


class CategoryForm(BaseModel):
    slug: str = Field(max_length=60, pattern=SLUG_RE.pattern)
    name_fi: str = Field(min_length=1, max_length=100)
    name_sv: str = Field(min_length=1, max_length=100)
    name_en: str = Field(default="", max_length=100)
    is_main: bool = False
    organiser_id: Id | None = None


@router.get("/tuottajat")
def applications(request: Request, session: DbSession, actor: Admin) -> Response:
    rows = taxonomy.approvals_for(session, actor)
    ctx = {"rows": rows}
    return render(request, "catalogue/admin/providers.html", ctx)


def _review_context(session: Any, actor: Any, approval_id: int) -> dict[str, Any]:
    approval, provider = taxonomy.approval_for(session, actor, approval_id)
    return {
        "approval": approval,
        "provider": provider,
        "auto": taxonomy.automatic_checks(provider),
        "values": {},
        "errors": {},
    }


@router.get("/tuottajat/{approval_id}")
def review(request: Request, approval_id: Id, session: DbSession, actor: Admin) -> Response:
    return render(
        request, "catalogue/admin/review.html", _review_context(session, actor, approval_id)
    )


@router.post("/tuottajat/{approval_id}")
def decide(
    request: Request, approval_id: Id, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    ctx = _review_context(session, actor, approval_id)
    values, data, errors = parse_form(DecisionForm, form)
    checklist: dict[str, bool] = dict(ctx["auto"])
    if data is not None:
        checklist |= {
            "insurance": data.insurance,
            "self_monitoring_plan": data.self_monitoring_plan,
        }
        if data.action in ("reject", "suspend") and not data.reason.strip():
            errors["reason"] = gettext("Give a reason: the provider will see it.")
        if data.action == "approve" and not all(checklist.get(k) for k in listings.CHECKLIST):
            errors["insurance"] = gettext(
                "Every item of the checklist must be in order to approve."
            )
    if errors or data is None:
        return render_form(
            request,
            "catalogue/admin/review.html",
            ctx,
            values=values,
            errors=errors,
            status_code=422,
        )
    status = {
        "approve": ApprovalStatus.approved,
        "reject": ApprovalStatus.rejected,
        "suspend": ApprovalStatus.suspended,
    }[data.action]
    listings.decide(session, actor, ctx["approval"], status, data.reason.strip() or None, checklist)
    return done(request, "/hallinto/tuottajat")


@router.get("/luokat")
def categories(request: Request, session: DbSession, actor: Admin) -> Response:
    ctx = {"categories": taxonomy.categories_for(session, actor)}
    return render_form(request, "catalogue/admin/categories.html", ctx)


@router.post("/luokat")
def save_category(request: Request, session: DbSession, actor: Admin, form: PostedForm) -> Response:
    values, data, errors = parse_form(CategoryForm, form)
    organiser_id = min(taxonomy.admin_organisers(actor), default=0)
    category = taxonomy.category_by_slug(session, organiser_id, data.slug) if data else None
    if errors or data is None:
        ctx = {"categories": taxonomy.categories_for(session, actor)}
        return render_form(
            request, "catalogue/admin/categories.html", ctx, values=values, errors=errors
        )
    names = {"fi": data.name_fi, "sv": data.name_sv} | (
        {"en": data.name_en} if data.name_en else {}
    )
    taxonomy.save_category(session, actor, organiser_id, data.slug, names, data.is_main, category)
    return done(request, "/hallinto/luokat")
