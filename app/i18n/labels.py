"""Translated labels for enum values shown to users (lazy: resolved at render time)."""

from __future__ import annotations

from babel.support import LazyProxy

from app.i18n import lazy_gettext
from app.models.user import Role

ROLE_LABELS: dict[str, LazyProxy] = {
    Role.client: lazy_gettext("Client"),
    Role.assistant: lazy_gettext("HB assistant"),
    Role.case_worker: lazy_gettext("Case worker"),
    Role.admin: lazy_gettext("Organiser administrator"),
    Role.provider_owner: lazy_gettext("Service provider (owner)"),
    Role.provider_editor: lazy_gettext("Service provider (editor)"),
}
