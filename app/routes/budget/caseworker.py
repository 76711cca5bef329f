"""The case worker's budget pages: frame, review and confirmation, meetings (own clients)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any, Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from app.deps import AppSettings, CaseWorker, DbSession
from app.errors import NotFound
from app.forms import MAX_CENTS, Id, parse_decimal_between, parse_form
from app.i18n import get_locale, lazy_gettext
from app.models.budget import Budget, ExperimentArm, MeetingKind
from app.models.user import Role, User
from app.navigation import register
from app.routes.formdata import PostedForm, cents_between
from app.routes.responses import FormShown, done, once, post_form, render_form
from app.services.assessment import caseload
from app.services.budget import deliveries, disputes, meetings, payments, plan, views, worklist
from app.services.budget import frames as budget_service
from app.services.identity.mandates import today as finnish_today
from app.services.notifications import service as notification_service
from app.services.research import experiment
from app.templating import render

router = APIRouter()
register("/tyo", lazy_gettext("Worklist"), {Role.case_worker}, order=5)
register("/asiakkaat/budjetit", lazy_gettext("My clients"), {Role.case_worker}, order=10)

PAGE = "budget/caseworker/budget.html"


class FrameForm(BaseModel):
    frame: str
    arm: ExperimentArm = ExperimentArm.a  # the frame's precision
    teaming: bool = False  # the providers are convened: asked separately
    reason: str = Field(min_length=1, max_length=2000)
    period_start: date
    period_end: date

    @field_validator("frame")
    @classmethod
    def _money(cls, value: str) -> str:
        message = lazy_gettext("Enter an amount in euros, for example 12 000.")
        return str(cents_between(value, 0, MAX_CENTS, message, message))


class DecisionForm(BaseModel):
    comment: str = Field(default="", max_length=4000)


class DisputeDecisionForm(BaseModel):
    outcome: disputes.Outcome
    units: int | None = Field(default=None, ge=1, le=1000)
    note: str = Field(min_length=1, max_length=2000)


class MeetingForm(BaseModel):
    kind: MeetingKind
    held_on: date
    notes: str = Field(default="", max_length=4000)


def _client(session: DbSession, client_id: int) -> User:
    client = session.get(User, client_id)
    if client is None:
        raise NotFound()
    return client


def _budget(session: DbSession, actor: CaseWorker, client_id: int) -> Budget:
    budget = budget_service.budget_for_caseworker(session, actor, client_id)
    if budget is None:
        raise budget_service.NoBudget()
    return budget


def _shares(form: Any, budget_categories: list[Any]) -> tuple[dict[int, int], dict[str, str]]:
    shares: dict[int, int] = {}
    errors: dict[str, str] = {}
    for category in budget_categories:
        raw = str(form.get(f"share_{category.id}", "")).strip()
        if not raw:
            continue
        try:
            value = parse_decimal_between(raw, 0, 100)
        except ValueError:
            value = Decimal(-1)
        if value < 0 or (value * 100) != int(value * 100):
            errors[f"share_{category.id}"] = str(lazy_gettext("Enter a percentage from 0 to 100."))
            continue
        if value:
            shares[category.id] = int(value * 100)
    if sum(shares.values()) > 10_000:
        errors["arm"] = str(budget_service.InvalidShares().text())
    return shares, errors


def _page(
    request: Request,
    session: DbSession,
    actor: CaseWorker,
    client_id: int,
    **shown: Unpack[FormShown],
) -> Response:
    client = _client(session, client_id)
    budget = budget_service.budget_for_caseworker(session, actor, client_id)
    context: dict[str, Any] = {"client": client, "budget": budget}
    # The experiment's allocation (if enrolled) fixes both arms; otherwise the worker answers
    # the two questions (the frame's precision, teaming) separately.
    context["allocation"] = experiment.allocation_for_client(session, client_id)
    if budget is None:
        organiser_id = next(iter(actor.organiser_ids(Role.case_worker)), 0)
        context["categories"] = budget_service.categories(session, organiser_id)
        return render_form(request, PAGE, context, **shown)
    context.update(views.plan_context(session, budget))
    context["care"] = caseload.care_summary(session, actor, client_id, get_locale())
    confirmed = context["confirmed"]
    latest = context["plan"]
    context["diff"] = plan.diff(
        budget_service.lines_of(session, confirmed if confirmed != latest else None),
        budget_service.lines_of(session, latest),
    )
    context["categories"] = budget_service.categories(session, budget.organiser_id)
    context["frame_versions"] = budget_service.frame_versions(session, budget)
    context["meetings"] = meetings.meetings(session, budget)
    context["history"] = budget_service.history(session, budget)
    context["deliveries"] = deliveries.client_deliveries(session, budget)
    defaults = {
        "frame": f"{budget.frame_cents / 100:.2f}".replace(".", ","),
        "arm": budget.arm,
        "teaming": budget.teaming,
        "period_start": budget.period_start.isoformat(),
        "period_end": budget.period_end.isoformat(),
        **{f"share_{k}": str(int(v) / 100) for k, v in budget.shares_bp.items()},
    }
    return render_form(request, PAGE, context, defaults=defaults, **shown)


@router.get("/tyo")
def worklist_page(request: Request, session: DbSession, actor: CaseWorker) -> Response:
    """What waits for the worker in their own caseload, oldest first."""
    items = worklist.worklist(session, actor, finnish_today())
    return render(request, "budget/caseworker/worklist.html", {"items": items})


@router.get("/asiakkaat/budjetit")
def budget_list(request: Request, session: DbSession, actor: CaseWorker) -> Response:
    rows = budget_service.caseworker_overview(session, actor)
    notes = notification_service.inbox(session, actor.user_id, limit=20)
    return render(request, "budget/caseworker/budgets.html", {"rows": rows, "notifications": notes})


@router.get("/asiakkaat/{client_id}/budjetti")
def budget_page(request: Request, client_id: Id, session: DbSession, actor: CaseWorker) -> Response:
    return _page(request, session, actor, client_id)


@router.post("/asiakkaat/{client_id}/budjetti/raami")
def set_frame(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker, form: PostedForm
) -> Response:
    budget_service.budget_for_caseworker(session, actor, client_id)  # access check first

    def act() -> Response:
        values, data, errors = parse_form(FrameForm, form)
        organiser_id = next(iter(actor.organiser_ids(Role.case_worker)), 0)
        shares, share_errors = _shares(form, budget_service.categories(session, organiser_id))
        errors.update(share_errors)
        if data is not None and data.period_end <= data.period_start:
            errors["period_end"] = str(lazy_gettext("The period must end after it starts."))
        if data is None or errors:
            return _page(request, session, actor, client_id, values=values, errors=errors)
        frame = budget_service.FrameInput(
            frame_cents=int(data.frame),
            arm=data.arm,
            teaming=data.teaming,
            shares_bp=shares,
            reason=data.reason,
            period_start=data.period_start,
            period_end=data.period_end,
        )
        try:
            budget_service.set_frame(session, actor, client_id, frame)
        except budget_service.FrameBelowUsed as exc:
            errors = {"frame": exc.text()}
            return _page(request, session, actor, client_id, values=values, errors=errors)
        return done(request, f"/asiakkaat/{client_id}/budjetti")

    return once(request, session, actor, form, act)


@router.post("/asiakkaat/{client_id}/budjetti/vahvista")
def confirm(
    request: Request,
    client_id: Id,
    session: DbSession,
    actor: CaseWorker,
    settings: AppSettings,
    form: PostedForm,
) -> Response:
    def act() -> Response:
        _values, data, _errors = parse_form(DecisionForm, form)
        budget = _budget(session, actor, client_id)
        plan.confirm(session, actor, budget, data.comment if data else "")
        if settings.payments_enabled:
            payments.refund_excess(session, settings, budget)  # own share no longer needed
        return done(request, f"/asiakkaat/{client_id}/budjetti")

    return once(request, session, actor, form, act)


@router.post("/asiakkaat/{client_id}/budjetti/palauta")
def return_plan(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker, form: PostedForm
) -> Response:
    def act() -> Response:
        values, data, errors = parse_form(DecisionForm, form)
        if data is None or not data.comment:
            errors = errors or {"comment": str(lazy_gettext("Tell the client what to change."))}
            return _page(request, session, actor, client_id, values=values, errors=errors)
        plan.return_plan(session, actor, _budget(session, actor, client_id), data.comment)
        return done(request, f"/asiakkaat/{client_id}/budjetti")

    return once(request, session, actor, form, act)


@router.post("/asiakkaat/{client_id}/budjetti/tapaamiset")
def add_meeting(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker, form: PostedForm
) -> Response:
    budget = _budget(session, actor, client_id)
    return post_form(
        request,
        form,
        MeetingForm,
        act=lambda data: meetings.record_meeting(
            session, actor, budget, data.kind, data.held_on, data.notes
        ),
        then=f"/asiakkaat/{client_id}/budjetti",
        again=partial(_page, request, session, actor, client_id),
    )


@router.get("/asiakkaat/{client_id}/budjetti/tulosta")
def print_plan(request: Request, client_id: Id, session: DbSession, actor: CaseWorker) -> Response:
    budget = _budget(session, actor, client_id)
    context = views.plan_context(session, budget)
    context["client_name"] = _client(session, client_id).display_name
    context["meetings"] = meetings.meetings(session, budget)
    return render(request, "budget/client/print.html", context)


def _deliveries_page(
    request: Request,
    session: DbSession,
    actor: CaseWorker,
    client_id: int,
    delivery_id: int | None = None,
    **shown: Unpack[FormShown],
) -> Response:
    """The client's deliveries with their history; a contested one gets the decision form
    (shown again with its errors for `delivery_id`)."""
    budget = _budget(session, actor, client_id)
    rows = deliveries.client_deliveries(session, budget)
    context = {
        "client": _client(session, client_id),
        "rows": rows,
        "histories": disputes.histories(session, [d for d, _line in rows]),
        "outcomes": list(disputes.Outcome),
        "form_delivery": delivery_id,
    }
    return render_form(request, "budget/caseworker/deliveries.html", context, **shown)


@router.get("/asiakkaat/{client_id}/toimitukset")
def deliveries_page(
    request: Request, client_id: Id, session: DbSession, actor: CaseWorker
) -> Response:
    return _deliveries_page(request, session, actor, client_id)


@router.post("/asiakkaat/{client_id}/toimitukset/{delivery_id}/ratkaise")
def decide_dispute(
    request: Request,
    client_id: Id,
    delivery_id: Id,
    session: DbSession,
    actor: CaseWorker,
    form: PostedForm,
) -> Response:
    """The case worker decides what remains of a contested delivery."""
    budget = _budget(session, actor, client_id)  # 404 outside the caseload
    return post_form(
        request,
        form,
        DisputeDecisionForm,
        act=lambda data: disputes.decide(
            session, actor, budget, delivery_id, data.outcome, data.note, data.units
        ),
        then=f"/asiakkaat/{client_id}/toimitukset",
        again=partial(_deliveries_page, request, session, actor, client_id, delivery_id),
        session=session,
        field_errors={disputes.FewerUnitsNeeded: "units", deliveries.Overdraw: "outcome"},
        once_for=actor,
    )
