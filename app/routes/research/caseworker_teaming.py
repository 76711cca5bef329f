"""The named worker's teaming pages (arm C): a client's three checkpoints, and one checkpoint
where the meeting is scheduled (the providers of the plan are invited) and marked held with
its minutes."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.deps import CaseWorker, DbSession
from app.forms import Id
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, post_form, render_form
from app.services.identity.mandates import today as finnish_today
from app.services.research import teaming
from app.templating import render

router = APIRouter()

CHECKPOINT_PAGE = "research/caseworker/teaming_checkpoint.html"


class ScheduleForm(BaseModel):
    meets_on: date
    place: str = Field(default="", max_length=200)


class HeldForm(BaseModel):
    held_on: date
    minutes: str = Field(min_length=1, max_length=4000)


def _base(client_id: int) -> str:
    return f"/asiakkaat/{client_id}/tiimiytys"


@router.get("/asiakkaat/{client_id}/tiimiytys")
def overview(request: Request, client_id: Id, session: DbSession, actor: CaseWorker) -> Response:
    view = teaming.client_view(session, actor, client_id, finnish_today())
    return render(request, "research/caseworker/teaming.html", {"view": view})


def _checkpoint_page(
    request: Request,
    session: DbSession,
    actor: CaseWorker,
    client_id: int,
    number: int,
    **shown: Unpack[FormShown],
) -> Response:
    today = finnish_today()
    view = teaming.client_view(session, actor, client_id, today)
    checkpoint = teaming.checkpoint_of(view, number)
    record = checkpoint.record
    defaults = {
        "meets_on": (record.meets_on if record else checkpoint.due or today).isoformat(),
        "place": record.place if record else "",
        "held_on": (record.meets_on if record and record.meets_on <= today else today).isoformat(),
    }
    context = {"view": view, "c": checkpoint}
    return render_form(request, CHECKPOINT_PAGE, context, defaults=defaults, **shown)


@router.get("/asiakkaat/{client_id}/tiimiytys/{number}")
def checkpoint_page(
    request: Request, client_id: Id, number: Id, session: DbSession, actor: CaseWorker
) -> Response:
    return _checkpoint_page(request, session, actor, client_id, number)


@router.post("/asiakkaat/{client_id}/tiimiytys/{number}/ajoita")
def schedule(
    request: Request,
    client_id: Id,
    number: Id,
    session: DbSession,
    actor: CaseWorker,
    form: PostedForm,
) -> Response:
    return post_form(
        request,
        form,
        ScheduleForm,
        act=lambda data: teaming.schedule(
            session, actor, client_id, number, data.meets_on, data.place
        ),
        then=f"{_base(client_id)}/{number}?ajoitettu=1",
        again=partial(_checkpoint_page, request, session, actor, client_id, number),
        field_errors={teaming.NoProviders: "meets_on", teaming.AlreadyHeld: "meets_on"},
        session=session,
    )


@router.post("/asiakkaat/{client_id}/tiimiytys/{number}/pidetty")
def held(
    request: Request,
    client_id: Id,
    number: Id,
    session: DbSession,
    actor: CaseWorker,
    form: PostedForm,
) -> Response:
    return post_form(
        request,
        form,
        HeldForm,
        act=lambda data: teaming.mark_held(
            session, actor, client_id, number, data.held_on, data.minutes, finnish_today()
        ),
        then=f"{_base(client_id)}/{number}?pidetty=1",
        again=partial(_checkpoint_page, request, session, actor, client_id, number),
        field_errors={
            teaming.HeldInFuture: "held_on",
            teaming.NotScheduled: "held_on",
            teaming.AlreadyHeld: "held_on",
        },
        session=session,
    )
