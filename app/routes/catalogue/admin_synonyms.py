"""Organiser admin: the search's synonym groups (words clients use for the same service)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.deps import Admin, DbSession
from app.forms import Id
from app.i18n import lazy_gettext, localized
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import done, once, post_form, render_form
from app.services.catalogue import synonyms, taxonomy

router = APIRouter(prefix="/hallinto/hakusanat")
register("/hallinto/hakusanat", lazy_gettext("Search synonyms"), {Role.admin}, 42)
PAGE = "catalogue/admin/synonyms.html"
FIELD_ERRORS: dict[Any, str] = {
    synonyms.TooFewWords: "words_fi",
    synonyms.TooManyWords: "words_fi",
    synonyms.NotOneWord: "words_fi",
    synonyms.UnknownCategory: "category_id",
}


class SynonymForm(BaseModel):
    words_fi: str = Field(default="", max_length=2000)
    words_sv: str = Field(default="", max_length=2000)
    category_id: Id | None = None


def _context(session: Any, actor: Any, editing: int | None = None) -> dict[str, Any]:
    return {
        "rows": synonyms.groups_for(session, actor),
        "category_options": [
            (c.id, localized(c.name)[0]) for c in taxonomy.categories_for(session, actor)
        ],
        "editing": editing,
    }


def _save(request: Request, session: Any, actor: Any, form: Any, group_id: int | None) -> Response:
    def act(data: SynonymForm) -> object:
        # Each language's words are checked apart, so the error sits on the field it is about.
        try:
            synonyms.parse_words(data.words_sv)
        except synonyms.NotOneWord as exc:
            raise _SwedishWord(exc) from exc
        return synonyms.save(
            session, actor, data.words_fi, data.words_sv, data.category_id, group_id
        )

    def again(**shown: Any) -> Response:
        return render_form(request, PAGE, _context(session, actor, group_id), **shown)

    return post_form(
        request,
        form,
        SynonymForm,
        act=act,
        then="/hallinto/hakusanat",
        again=again,
        field_errors={_SwedishWord: "words_sv", **FIELD_ERRORS},
        session=session,
        once_for=actor,
    )


class _SwedishWord(synonyms.NotOneWord):
    def __init__(self, cause: synonyms.NotOneWord) -> None:
        super().__init__(cause.message, **cause.params)


@router.get("")
def page(request: Request, session: DbSession, actor: Admin) -> Response:
    return render_form(request, PAGE, _context(session, actor))


@router.post("")
def add(request: Request, session: DbSession, actor: Admin, form: PostedForm) -> Response:
    return _save(request, session, actor, form, None)


@router.get("/{group_id}")
def edit(request: Request, group_id: Id, session: DbSession, actor: Admin) -> Response:
    group = synonyms.group_for(session, actor, group_id)
    defaults = {
        "words_fi": ", ".join(group.words_fi),
        "words_sv": ", ".join(group.words_sv),
        "category_id": group.category_id or "",
    }
    return render_form(request, PAGE, _context(session, actor, group_id), defaults=defaults)


@router.post("/{group_id}")
def change(
    request: Request, group_id: Id, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    synonyms.group_for(session, actor, group_id)  # another organiser's group: 404
    return _save(request, session, actor, form, group_id)


@router.post("/{group_id}/poista")
def remove(
    request: Request, group_id: Id, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    def act() -> Response:
        synonyms.remove(session, actor, group_id)
        return done(request, "/hallinto/hakusanat")

    return once(request, session, actor, form, act)
