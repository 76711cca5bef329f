"""Request dependencies: the database session and who is acting, by role.

Routes declare what they need with these Annotated types; anything else is denied.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.config import Settings
from app.db import get_session
from app.errors import AppError, Forbidden
from app.i18n import lazy_gettext
from app.models.actor import Actor, MandateScope
from app.models.user import Role
from app.services.identity import rate_limits, sessions
from app.services.identity.mandates import MandateEnded, acting_actor, live_mandate
from app.services.identity.users import load_actor

DbSession = Annotated[Session, Depends(get_session, scope="function")]


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(app_settings)]

SESSION_USER_KEY = sessions.USER_KEY


class LoginRequired(AppError):
    status_code = 401

    default_text = lazy_gettext("Log in to continue.")


def optional_actor(request: Request, session: DbSession, settings: AppSettings) -> Actor | None:
    """Who is logged in, checked on every request: session still current, mandate still live."""
    request.state.actor = None
    data = request.session if "session" in request.scope else None
    user_id = data.get(SESSION_USER_KEY) if data is not None else None
    if data is None or not isinstance(user_id, int):
        return None
    actor = load_actor(session, user_id, getattr(request.state, "request_id", None))
    if actor is None or not sessions.is_current(data, actor.user, settings):
        data.clear()
        if actor is not None:
            data[sessions.ENDED_KEY] = True
        return None
    request.state.session_seconds_left = sessions.seconds_left(data, settings)
    mandate_id = data.get(sessions.ACTING_KEY)
    if mandate_id is not None:
        mandate = (
            live_mandate(session, mandate_id, user_id) if isinstance(mandate_id, int) else None
        )
        if mandate is None:
            # A background (HTMX) request shows the refusal as a toast but leaves ending the
            # acting to the next page the assistant opens or sends, so that page also says
            # why it was refused instead of a bare "no access".
            if request.headers.get("HX-Request") != "true":
                data.pop(sessions.ACTING_KEY, None)
            request.state.actor = actor
            raise MandateEnded()
        actor = acting_actor(session, actor, mandate)
    request.state.actor = actor
    return actor


def rate_limited(kind: str):  # noqa: ANN201 - returns a FastAPI dependency
    """Counts an attempt at a login or invitation endpoint (declare it first in the route)."""

    def dependency(request: Request, settings: AppSettings) -> None:
        address = request.client.host if request.client else "unknown"
        rate_limits.hit(
            request.app.state.engine,
            kind,
            address,
            settings.rate_limit_attempts,
            settings.rate_limit_window_seconds,
        )

    return dependency


LoginRateLimit = Depends(rate_limited("login"))
InvitationRateLimit = Depends(rate_limited("invitation"))


MaybeUser = Annotated[Actor | None, Depends(optional_actor)]


def require_actor(actor: MaybeUser) -> Actor:
    if actor is None:
        raise LoginRequired()
    return actor


CurrentUser = Annotated[Actor, Depends(require_actor)]


def require_roles(*roles: Role):  # noqa: ANN201 - returns a FastAPI dependency
    def dependency(actor: CurrentUser) -> Actor:
        if not actor.roles() & set(roles):
            raise Forbidden()
        return actor

    return dependency


Client = Annotated[Actor, Depends(require_roles(Role.client))]


class OutsideMandate(Forbidden):
    default_text = lazy_gettext("Your mandate from this client does not cover this.")


def acting_client(scope: MandateScope):  # noqa: ANN201 - returns a FastAPI dependency
    """The client themself, or an assistant acting for a client with `scope` in the mandate.

    Use `actor.subject_id` as the client's user id in either case.
    """

    def dependency(actor: CurrentUser) -> Actor:
        if actor.on_behalf_of is not None:
            if scope not in actor.mandate_scopes:
                raise OutsideMandate()
            return actor
        if Role.client not in actor.roles():
            raise Forbidden()
        return actor

    return dependency


ClientView = Annotated[Actor, Depends(acting_client(MandateScope.view))]
ClientAssessments = Annotated[Actor, Depends(acting_client(MandateScope.assessments))]
ClientPlan = Annotated[Actor, Depends(acting_client(MandateScope.plan))]
ClientDeliveries = Annotated[Actor, Depends(acting_client(MandateScope.deliveries))]
Assistant = Annotated[Actor, Depends(require_roles(Role.assistant))]
CaseWorker = Annotated[Actor, Depends(require_roles(Role.case_worker))]
Admin = Annotated[Actor, Depends(require_roles(Role.admin))]
Staff = Annotated[Actor, Depends(require_roles(Role.case_worker, Role.admin))]
ProviderMember = Annotated[Actor, Depends(require_roles(Role.provider_owner, Role.provider_editor))]
ProviderOwner = Annotated[Actor, Depends(require_roles(Role.provider_owner))]
