"""What every route module shares in its answers: the HTMX-aware "done" redirect, safe `next`
targets, pages with a form (shown again with what was sent and its errors), the usual form post
and error pages. Route modules import these (and `formdata`), never each other.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from functools import partial
from typing import Any, TypedDict, TypeVar, Unpack
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlmodel import Session

from app.errors import AppError
from app.forms import parse_form
from app.models.actor import Actor
from app.services import submissions
from app.templating import is_htmx, render

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


# What a URL may keep as it is in a header; everything else (control characters, spaces,
# non-ASCII) is percent-encoded, as Starlette does for `Location`.
_URL_SAFE = ":/%#?=@[]!$&'()*+,;~"


def done(request: Request, url: str) -> Response:
    """After a successful post: HTMX follows `HX-Redirect` (204), a plain form gets a 303.
    The target is percent-encoded, so no header ever carries CR, LF or other raw bytes."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": quote(url, safe=_URL_SAFE)})
    return RedirectResponse(url, status_code=303)


# The one-time key every form carries (drawn by the `csrf()` template macro): see `once`.
FORM_KEY = "form_key"


def once(
    request: Request,
    session: Session,
    actor: Actor,
    posted: Mapping[str, Any],
    act: Callable[[], Response],
) -> Response:
    """A money form done once: a post of a form whose key was already answered (a double
    click, a replay) gets the first post's answer, and `act` does not run again. Only a
    successful post (a redirect) is remembered; a form shown again with errors is not."""
    key = str(posted.get(FORM_KEY) or "")
    first = submissions.claim(session, actor.user_id, key)
    if first is not None:
        return done(request, first)
    response = act()
    target = response.headers.get("HX-Redirect") or response.headers.get("location")
    if target and response.status_code in (204, 303):
        submissions.answer(session, actor.user_id, key, unquote(target))
    return response


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths, no control characters: no open redirects, no header
    splitting."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(unicodedata.category(ch) == "Cc" for ch in target)
    ):
        return default
    return target


class FormShown(TypedDict, total=False):
    """How a page with a form is shown: what was sent, the errors per field, and the status
    (422 when there are errors, else 200, unless given). A page builder takes these as
    `**shown: Unpack[FormShown]` and hands them to `render_form`."""

    values: Mapping[str, Any]
    errors: Mapping[str, str]
    status_code: int


class InlineForm(FormShown, total=False):
    """How a page with a small form on each row is shown: `form_id` names the row whose form
    is shown again."""

    form_id: int | None


def render_form(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    defaults: Mapping[str, Any] | None = None,
    block: str | None = None,
    **shown: Unpack[FormShown],
) -> Response:
    """A page with a form: `values` (else the form's `defaults`) and `errors` join the context."""
    errors = shown.get("errors") or {}
    form = {"values": shown.get("values") or defaults or {}, "errors": errors}
    status_code = shown.get("status_code", 422 if errors else 200)
    return render(request, template, {**context, **form}, block=block, status_code=status_code)


def render_inline_form(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    form_id: int | None = None,
    **shown: Unpack[FormShown],
) -> Response:
    """A page with a small form on each row; `form_id` names the row whose form is shown
    again with what was sent and its errors (then the status is 422)."""
    return render_form(request, template, {**context, "form_id": form_id}, **shown)


def see_other(request: Request, url: str) -> Response:
    """After a successful post of a plain form: a 303 to `url`, HTMX or not."""
    return RedirectResponse(url, status_code=303)


# Where a domain error is shown on a form: a field's name, or how to read it off the error.
FieldOf = str | Callable[[Any], str]


def post_form(
    request: Request,
    posted: Mapping[str, Any],
    model: type[M],
    *,
    act: Callable[[M], R],
    then: str | Callable[[R], str],
    again: Callable[..., Response],
    field_errors: Mapping[type[AppError], FieldOf] | None = None,
    session: Session | None = None,
    answer: Callable[[Request, str], Response] = done,
    once_for: Actor | None = None,
) -> Response:
    """The usual form post: parse `posted` into `model`; if it is invalid, answer
    `again(values=..., errors=...)` (the page shown again, 422); otherwise `act(data)` and
    `answer` (`done`, or `see_other`) to `then` (or to `then(what act returned)`). A domain
    error listed in `field_errors` is shown on that field of the form instead; with `session`,
    whatever `act` wrote before raising it is rolled back (a savepoint), since the request's
    unit of work still commits the page it answers with. With `once_for` (the actor) and
    `session`, the form is done once (`once`): a replay gets the first answer."""
    if once_for is not None and session is not None:
        post = partial(post_form, request, posted, model, act=act, then=then, again=again)
        first = partial(post, field_errors=field_errors, session=session, answer=answer)
        return once(request, session, once_for, posted, first)
    values, data, errors = parse_form(model, posted)
    if data is not None:
        try:
            with session.begin_nested() if session is not None else nullcontext():
                result = act(data)
        except tuple(field_errors or {}) as exc:
            errors = {_field_of(exc, field_errors or {}): exc.text()}
        else:
            return answer(request, then if isinstance(then, str) else then(result))
    return again(values=values, errors=errors)


def _field_of(error: AppError, fields: Mapping[type[AppError], FieldOf]) -> str:
    field = next(field for kind, field in fields.items() if isinstance(error, kind))
    return field if isinstance(field, str) else field(error)


def render_error(request: Request, template: str, error: AppError) -> Response:
    """A page that says what went wrong (the error's text), with the error's status."""
    return render(request, template, {"message": error.text()}, status_code=error.status_code)
