"""All my data: the client's readable page and JSON download (GDPR art. 15 and 20)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import Client, DbSession
from app.services.identity import my_data
from app.templating import render

router = APIRouter()


@router.get("/oma/tietoni")
def my_data_page(request: Request, session: DbSession, actor: Client) -> Response:
    data = my_data.export(session, actor, "html")
    return render(
        request, "identity/client/my_data.html", {"data": data, "sections": my_data.SECTIONS}
    )


@router.get("/oma/tietoni.json")
def my_data_json(session: DbSession, actor: Client) -> Response:
    data = my_data.export(session, actor, "json")
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="hebu-omat-tiedot.json"'},
    )
