"""The posted form (or raw body) as a dependency, so such routes can be plain (sync) functions.

An `async def` route that does blocking database work stalls the event loop; with SQLite a
second request then waits on the write lock that the first cannot release (its commit needs
the loop), for the whole busy timeout. Read the form here and keep the route `def`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData


async def read_form(request: Request) -> FormData:
    return await request.form()


PostedForm = Annotated[FormData, Depends(read_form)]


async def read_body(request: Request) -> bytes:
    return await request.body()


PostedBody = Annotated[bytes, Depends(read_body)]
