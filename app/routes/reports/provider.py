"""Providers: their own effect evidence (only their own; the service takes the providers from
the actor's memberships)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import DbSession, ProviderMember
from app.i18n import lazy_gettext
from app.models.user import Role
from app.navigation import register
from app.services.reports import provider_effects
from app.templating import render

router = APIRouter(prefix="/tuottaja/vaikutukset")
register(
    "/tuottaja/vaikutukset",
    lazy_gettext("Effects"),
    {Role.provider_owner, Role.provider_editor},
    47,
)


@router.get("")
def own_effects(request: Request, session: DbSession, actor: ProviderMember) -> Response:
    context = {"providers": provider_effects.evidence(session, actor)}
    return render(request, "reports/provider/effects.html", context)
