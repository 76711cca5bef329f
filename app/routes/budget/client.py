"""The client's budget plan (the client, or an HB assistant with a plan mandate)."""

from __future__ import annotations

from datetime import date
from typing import Any, Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.deps import ClientPlan, ClientView, DbSession
from app.errors import AppError
from app.forms import MAX_CENTS, MAX_ID, Id, parse_form, parse_id, parse_ids
from app.i18n import lazy_gettext
from app.models.budget import Budget
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, done, once, post_form, render_form
from app.services.budget import frames as budget_service
from app.services.budget import meetings, plan, plan_offers, views
from app.services.budget.frames import required_budget_of_client
from app.templating import render

router = APIRouter()
register("/oma/budjetti", lazy_gettext("My budget"), {Role.client}, order=20)
register("/oma/saldo", lazy_gettext("Balance"), {Role.client}, order=21)
register("/oma/toimitukset", lazy_gettext("Deliveries"), {Role.client}, order=22)

PAGE = "budget/client/budget.html"
PLAN_URL = "/oma/budjetti"


class LineForm(BaseModel):
    offer_id: Id
    quantity: int = Field(ge=1, le=1000)
    repeats: int = Field(ge=1, le=1000)


class SubmitForm(BaseModel):
    note: str = Field(default="", max_length=4000)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)
    own_share: int | None = Field(default=None, ge=0, le=MAX_CENTS)  # the confirmed own share


class TakeBackForm(BaseModel):
    version: int = Field(ge=0, le=MAX_ID)
    palvelu: Id | None = None  # the offer the client came to add, chosen again afterwards


def _goal_ids(raw: list[Any]) -> list[int]:
    """Checked goals; anything that is not a number is not a goal of this client."""
    return parse_ids(raw)


def _page(
    request: Request,
    session: DbSession,
    budget: Budget,
    *,
    candidate: Any = None,
    chosen: Any = None,
    block: str | None = None,
    **shown: Unpack[FormShown],
) -> Response:
    today = date.today()
    context = views.plan_context(session, budget, candidate)
    context.update(
        {
            "chosen": chosen,
            "offers": plan_offers.offer_options(session, budget, today),
            "history": budget_service.history(session, budget),
            "client_goals": views.open_goals(session, budget),
        }
    )
    return render_form(request, PAGE, context, block=block, **shown)


@router.get("/oma/budjetti")
def plan_page(
    request: Request, session: DbSession, actor: ClientView, palvelu: Id | None = None
) -> Response:
    """The plan; `palvelu` preselects an offer chosen on the catalogue's offer page."""
    budget = budget_service.budget_of_client(session, actor)
    if budget is None:
        return render(request, "budget/client/no_budget.html", {})
    values = {"quantity": "1", "repeats": "1", "offer_id": str(palvelu or "")}
    chosen = plan_offers.chosen_offer(session, budget, palvelu, date.today())
    return _page(request, session, budget, values=values, chosen=chosen)


@router.post("/oma/budjetti/tarkista")
def live_check(
    request: Request, session: DbSession, actor: ClientPlan, form: PostedForm
) -> Response:
    """The live "fits the frame" fragment for the line being considered."""
    budget = required_budget_of_client(session, actor)
    values, data, errors = parse_form(LineForm, form)
    candidate = None
    if data is not None:
        try:
            candidate = plan.preview_line(
                session, budget, data.offer_id, data.quantity, data.repeats, date.today()
            )
        except AppError as exc:
            errors = {"offer_id": exc.text()}
    return _page(
        request,
        session,
        budget,
        values=values,
        errors=errors,
        status_code=200,  # a live answer, not a failed post
        candidate=candidate,
        block="fit",
    )


@router.post("/oma/budjetti/rivit")
def add_line(request: Request, session: DbSession, actor: ClientPlan, form: PostedForm) -> Response:
    budget = required_budget_of_client(session, actor)
    goal_ids = _goal_ids(form.getlist("goal"))

    def again(values: dict[str, Any], errors: dict[str, str]) -> Response:
        values["goal"] = [str(g) for g in goal_ids]
        return _page(request, session, budget, values=values, errors=errors)

    return post_form(
        request,
        form,
        LineForm,
        act=lambda data: plan.add_line(
            session,
            actor,
            budget,
            data.offer_id,
            data.quantity,
            data.repeats,
            date.today(),
            goal_ids,
        ),
        then=PLAN_URL,
        again=again,
        session=session,
        field_errors={plan.BadQuantity: "quantity", plan_offers.OfferUnavailable: "offer_id"},
        once_for=actor,
    )


@router.post("/oma/budjetti/rivit/{line_id}/poista")
def remove_line(
    request: Request, line_id: Id, session: DbSession, actor: ClientPlan, form: PostedForm
) -> Response:
    def act() -> Response:
        plan.remove_line(session, actor, required_budget_of_client(session, actor), line_id)
        return done(request, PLAN_URL)

    return once(request, session, actor, form, act)


@router.post("/oma/budjetti/muutos")
def start_change(
    request: Request, session: DbSession, actor: ClientPlan, form: PostedForm
) -> Response:
    plan.editable_version(session, actor, required_budget_of_client(session, actor))
    return done(request, _plan_url(parse_id(form.get("palvelu"))))


def _plan_url(offer_id: int | None) -> str:
    """The plan page, with the offer the client came to add chosen in the form."""
    return f"{PLAN_URL}?palvelu={offer_id}#add-heading" if offer_id else PLAN_URL


@router.post("/oma/budjetti/takaisin")
def take_back(
    request: Request, session: DbSession, actor: ClientPlan, form: PostedForm
) -> Response:
    """Take a sent plan back before the worker decides; it can be changed and sent again."""
    budget = required_budget_of_client(session, actor)

    def act() -> Response:
        _values, data, _errors = parse_form(TakeBackForm, form)
        if data is None:
            raise plan.NotWaiting()
        plan.take_back(session, actor, budget, data.version)
        return done(request, _plan_url(data.palvelu))

    return once(request, session, actor, form, act)


@router.post("/oma/budjetti/laheta")
def submit(request: Request, session: DbSession, actor: ClientPlan, form: PostedForm) -> Response:
    budget = required_budget_of_client(session, actor)

    def act() -> Response:
        values, data, errors = parse_form(SubmitForm, form)
        if data is None:
            return _page(request, session, budget, values=values, errors=errors)
        try:
            plan.submit(session, actor, budget, data.note, data.version, data.own_share)
        except plan.OwnShareNotAccepted:
            return _confirm_own_share(request, session, budget, data)
        except (plan.PlanOverFrame, plan.CategoryOverShare, plan.EmptyPlan) as exc:
            return _page(
                request,
                session,
                budget,
                values=values,
                errors={"note": exc.text()},
                status_code=exc.status_code,
            )
        return done(request, PLAN_URL)

    return once(request, session, actor, form, act)


def _confirm_own_share(
    request: Request, session: DbSession, budget: Budget, data: SubmitForm
) -> Response:
    """The step before an over-frame plan is sent: the own share it creates, to confirm. A
    confirmation of another amount (the plan or the frame changed meanwhile) is asked again."""
    context = views.plan_context(session, budget)
    context.update(
        {
            "note": data.note,
            "changed": data.own_share is not None,
            "own_share": context["fit"].own_share_cents,
        }
    )
    status = 409 if data.own_share is not None else 200
    return render(request, "budget/client/confirm_send.html", context, status_code=status)


@router.get("/oma/budjetti/tulosta")
def print_plan(request: Request, session: DbSession, actor: ClientView) -> Response:
    budget = required_budget_of_client(session, actor)
    context = views.plan_context(session, budget)
    context["client_name"] = (actor.on_behalf_of or actor.user).display_name
    context["meetings"] = meetings.meetings(session, budget)
    return render(request, "budget/client/print.html", context)
