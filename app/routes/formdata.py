"""The posted form (or raw body) as a dependency, so such routes can be plain (sync) functions;
and the checks of posted fields that several route modules' forms share.

An `async def` route that does blocking database work stalls the event loop; with SQLite a
second request then waits on the write lock that the first cannot release (its commit needs
the loop), for the whole busy timeout. Read the form here and keep the route `def`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from app.errors import AppError
from app.forms import FieldError, parse_money_cents
from app.i18n import lazy_gettext

# The body itself is bounded by app/body_limit.py; these bound the parsing of it. No form of
# Hebu's has more than a few hundred fields or a text of more than a few kilobytes.
MAX_FORM_FIELDS = 1000
MAX_FIELD_BYTES = 256 * 1024
# How Starlette words the limits it enforces (it raises them as a plain 400).
_LIMIT_DETAILS = ("Too many fields", "Too many files", "Field exceeded maximum size")


class FormTooLarge(AppError):
    status_code = 413
    default_text = lazy_gettext("The form has too many fields or too long a text.")


async def read_form(request: Request) -> FormData:
    try:
        return await request.form(max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES)
    except HTTPException as exc:
        if exc.status_code == 400 and str(exc.detail).startswith(_LIMIT_DETAILS):
            raise FormTooLarge() from exc
        raise


PostedForm = Annotated[FormData, Depends(read_form)]


async def read_body(request: Request) -> bytes:
    return await request.body()


PostedBody = Annotated[bytes, Depends(read_body)]


def cents_between(value: str, low: int, high: int, unreadable: Any, out_of_range: Any) -> int:
    """An amount in euros as typed, in cents; a FieldError with the message `unreadable` when it
    is not an amount, `out_of_range` when it is outside `low`..`high` cents."""
    try:
        cents = parse_money_cents(value)
    except ValueError as exc:
        raise FieldError(unreadable) from exc
    if not low <= cents <= high:
        raise FieldError(out_of_range)
    return cents
