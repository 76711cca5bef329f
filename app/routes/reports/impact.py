"""Organiser admins: the impact model beside the indicator report (diagram and list), its
items added, edited, linked to indicators, reordered and removed."""

from __future__ import annotations

from functools import partial
from typing import Literal, Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.deps import Admin, DbSession
from app.forms import Id
from app.i18n import get_locale, localized
from app.i18n.labels import label
from app.models.impact import ImpactStep
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, done, post_form, render_form
from app.services.reports import impact_diagram, impact_model, indicators

BASE = "/hallinto/raportit/vaikutusmalli"
router = APIRouter(prefix=BASE)

ERRORS = {
    impact_model.TextMissing: "text_fi",
    impact_model.UnknownIndicator: "codes",
    impact_model.TooManyItems: "step",
}


class ItemForm(BaseModel):
    text_fi: str = Field(default="", max_length=impact_model.MAX_TEXT)
    text_sv: str = Field(default="", max_length=impact_model.MAX_TEXT)
    codes: list[str] = Field(default_factory=list, max_length=20)


class AddForm(ItemForm):
    step: ImpactStep


class MoveForm(BaseModel):
    direction: Literal["up", "down"]


def _texts(data: ItemForm) -> dict[str, str]:
    return {"fi": data.text_fi, "sv": data.text_sv}


def _context(model: impact_model.Model) -> dict[str, object]:
    locale = get_locale()
    return {
        "model": model,
        "steps": impact_model.STEPS,
        "step_options": [(s.value, label(s, "ImpactStep")) for s in impact_model.STEPS],
        "diagram": impact_diagram.layout(model, lambda texts: localized(texts, locale)[0]),
        "choices": impact_model.indicator_choices(),
        "label": lambda label: indicators.label_text(label, locale),
    }


def _page(
    request: Request, session: DbSession, actor: Admin, **shown: Unpack[FormShown]
) -> Response:
    context = _context(impact_model.model_of(session, actor))
    defaults = {"step": ImpactStep.resources.value, "codes": []}
    return render_form(
        request, "reports/admin/impact_model.html", context, defaults=defaults, **shown
    )


@router.get("")
def model_page(request: Request, session: DbSession, actor: Admin) -> Response:
    return _page(request, session, actor)


@router.post("")
def add(request: Request, session: DbSession, actor: Admin, form: PostedForm) -> Response:
    return post_form(
        request,
        form,
        AddForm,
        act=lambda data: impact_model.add_item(session, actor, data.step, _texts(data), data.codes),
        then=f"{BASE}?lisatty=1",
        again=partial(_page, request, session, actor),
        field_errors=ERRORS,
        session=session,
    )


def _item_page(
    request: Request, session: DbSession, actor: Admin, item_id: int, **shown: Unpack[FormShown]
) -> Response:
    model = impact_model.model_of(session, actor)
    item = next((i for i in model.items if i.id == item_id), None)
    if item is None:
        impact_model.edit_check(session, actor, item_id)  # NotFound for another organiser's
    assert item is not None
    defaults = {
        "text_fi": item.text.get("fi", ""),
        "text_sv": item.text.get("sv", ""),
        "codes": item.codes,
    }
    context = {**_context(model), "item": item}
    return render_form(
        request, "reports/admin/impact_item.html", context, defaults=defaults, **shown
    )


@router.get("/{item_id}")
def item_page(request: Request, item_id: Id, session: DbSession, actor: Admin) -> Response:
    return _item_page(request, session, actor, item_id)


@router.post("/{item_id}")
def edit(
    request: Request, item_id: Id, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    impact_model.edit_check(session, actor, item_id)
    return post_form(
        request,
        form,
        ItemForm,
        act=lambda data: impact_model.edit_item(session, actor, item_id, _texts(data), data.codes),
        then=f"{BASE}?muutettu=1",
        again=partial(_item_page, request, session, actor, item_id),
        field_errors=ERRORS,
        session=session,
    )


@router.post("/{item_id}/poista")
def remove(request: Request, item_id: Id, session: DbSession, actor: Admin) -> Response:
    impact_model.remove_item(session, actor, item_id)
    return done(request, f"{BASE}?poistettu=1")


@router.post("/{item_id}/siirra")
def move(
    request: Request, item_id: Id, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    impact_model.edit_check(session, actor, item_id)
    return post_form(
        request,
        form,
        MoveForm,
        act=lambda data: impact_model.move(session, actor, item_id, data.direction == "up"),
        then=f"{BASE}#item-{item_id}",
        again=partial(_page, request, session, actor),
    )
