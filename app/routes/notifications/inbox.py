"""Every role's inbox (newest first, filter by kind, mark read) and channel settings.

A user sees and marks only their own notifications: an assistant acting for a client still
reads the assistant's own inbox.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from app.deps import CurrentUser, DbSession
from app.forms import Id
from app.i18n import get_locale
from app.routes.formdata import PostedForm
from app.routes.responses import done
from app.services.notifications import contact, preferences
from app.services.notifications import service as notification_service
from app.services.notifications.kinds import Kind, label
from app.templating import render

router = APIRouter()

INBOX = "/ilmoitukset"
SETTINGS = "/ilmoitukset/asetukset"


def _kind(value: str | None) -> Kind | None:
    return Kind(value) if value in Kind.__members__ else None


@router.get(INBOX)
def inbox(request: Request, session: DbSession, actor: CurrentUser) -> Response:
    kind = _kind(request.query_params.get("laji"))
    user_id = actor.user_id
    context = {
        "entries": notification_service.inbox(session, user_id, kind),
        "kinds": [(k, label(k, get_locale())) for k in _kinds(session, user_id)],
        "kind": kind,
        "unread": notification_service.unread_count(session, user_id),
    }
    return render(request, "notifications/inbox/list.html", context, block="inbox")


def _kinds(session: DbSession, user_id: int) -> list[Kind]:
    return [Kind(k) for k in notification_service.kinds_of(session, user_id) if _kind(k)]


@router.post(INBOX + "/luettu")
def mark_all_read(request: Request, session: DbSession, actor: CurrentUser) -> Response:
    notification_service.mark_all_read(session, actor.user_id)
    return done(request, INBOX)


@router.post(INBOX + "/{notification_id}/luettu")
def mark_read(
    request: Request, notification_id: Id, session: DbSession, actor: CurrentUser
) -> Response:
    notification_service.mark_read(session, actor.user_id, notification_id)
    return done(request, INBOX)


def _settings_page(
    request: Request,
    session: DbSession,
    user_id: int,
    posted: FormData | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    """The settings page; after a refused post it shows what was typed and ticked."""
    saved = contact.contact(session, user_id)
    choices = preferences.choices(session, user_id)
    if posted is not None:
        choices = [
            preferences.Choice(c.kind, f"email_{c.kind}" in posted, f"sms_{c.kind}" in posted)
            for c in choices
        ]
        saved = contact.Contact(
            str(posted.get("phone", "")), "email_digest" in posted, "sms_digest" in posted
        )
    context = {
        "choices": choices,
        "contact": saved,
        "has_phone": contact.contact(session, user_id).phone is not None,
        "staff": contact.is_staff(session, user_id),
        "errors": errors or {},
        "label": lambda kind: label(kind, get_locale()),
        "saved": request.query_params.get("tallennettu") == "1",
    }
    status = 422 if errors else 200
    return render(request, "notifications/inbox/settings.html", context, status_code=status)


@router.get(SETTINGS)
def settings_page(request: Request, session: DbSession, actor: CurrentUser) -> Response:
    return _settings_page(request, session, actor.user_id)


@router.post(SETTINGS)
def save_settings(
    request: Request, session: DbSession, actor: CurrentUser, form: PostedForm
) -> Response:
    chosen = {k: (f"email_{k}" in form, f"sms_{k}" in form) for k in Kind}
    digests = ("email_digest" in form, "sms_digest" in form)
    try:
        preferences.save_settings(
            session, actor.user_id, chosen, str(form.get("phone", "")), digests
        )
    except contact.PhoneInvalid as exc:
        return _settings_page(request, session, actor.user_id, form, {"phone": exc.text()})
    return done(request, SETTINGS + "?tallennettu=1")
