"""Organiser admins: the background jobs (last and next run, failures) and "run now" (which
marks the job due; the job runner starts it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app import navigation
from app.deps import Admin, AppSettings, DbSession
from app.i18n import lazy_gettext
from app.models.user import Role
from app.routes.responses import done
from app.services.operations import jobs
from app.templating import render

BASE = "/hallinto/taustatyot"
router = APIRouter(prefix=BASE)
navigation.register(
    BASE, lazy_gettext("Background jobs"), {Role.admin}, order=90, group=navigation.MORE
)
JobName = Annotated[str, Path(max_length=60, pattern=r"^[a-z_]+$")]


@router.get("")
def jobs_page(
    request: Request, session: DbSession, settings: AppSettings, actor: Admin
) -> Response:
    rows = jobs.job_views(session, settings, datetime.now(UTC))
    marked = request.query_params.get("ajoon")
    context = {
        "rows": rows,
        "marked": marked if marked in {row.name for row in rows} else None,
        "poll_seconds": int(settings.worker_poll_seconds),
    }
    return render(request, "operations/admin/jobs.html", context)


@router.post("/{name}/aja")
def run_now(
    request: Request, session: DbSession, settings: AppSettings, actor: Admin, name: JobName
) -> Response:
    jobs.run_now(session, settings, name, datetime.now(UTC))
    return done(request, f"{BASE}?ajoon={name}")
