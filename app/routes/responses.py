"""What every route module shares in its answers: the HTMX-aware "done" redirect, safe `next`
targets and a page of inline forms. Route modules import these (and
`formdata`), never each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from app.templating import is_htmx, render


def done(request: Request, url: str) -> Response:
    """After a successful post: HTMX follows `HX-Redirect` (204), a plain form gets a 303."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths: no open redirects."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def render_inline_form(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    form_id: int | None = None,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> Response:
    """A page with a small form on each row; `form_id` names the row whose form is shown
    again with what was sent and its errors (then the status is 422)."""
    form = {"form_id": form_id, "values": values or {}, "errors": errors or {}}
    return render(request, template, {**context, **form}, status_code=422 if errors else 200)
