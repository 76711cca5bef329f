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

from app.forms import FieldError, parse_money_cents


async def read_form(request: Request) -> FormData:
    return await request.form()


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
