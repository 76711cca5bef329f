"""Translated labels for catalogue enum values (lazy: resolved at render time)."""

from __future__ import annotations

from babel.support import LazyProxy

from app.i18n import lazy_gettext

UNIT_LABELS: dict[str, LazyProxy] = {
    "hour": lazy_gettext("hour"),
    "visit": lazy_gettext("visit"),
    "day": lazy_gettext("day"),
    "month": lazy_gettext("month"),
    "session": lazy_gettext("session"),
    "piece": lazy_gettext("piece"),
    "trip": lazy_gettext("trip"),
}
DELIVERY_LABELS: dict[str, LazyProxy] = {
    "home": lazy_gettext("At home"),
    "provider": lazy_gettext("At the provider"),
    "remote": lazy_gettext("Remote"),
}
LANGUAGE_LABELS: dict[str, LazyProxy] = {
    "fi": lazy_gettext("Finnish"),
    "sv": lazy_gettext("Swedish"),
    "en": lazy_gettext("English"),
    "se": lazy_gettext("Sámi"),
    "ru": lazy_gettext("Russian"),
    "ar": lazy_gettext("Arabic"),
    "so": lazy_gettext("Somali"),
    "et": lazy_gettext("Estonian"),
    "fsl": lazy_gettext("Finnish Sign Language"),
}
PRICE_LABELS: dict[str, LazyProxy] = {
    "0-2000": lazy_gettext("under 20 €"),
    "2000-5000": lazy_gettext("20–50 €"),
    "5000-10000": lazy_gettext("50–100 €"),
    "10000-": lazy_gettext("over 100 €"),
}
RATING_LABELS: dict[str, LazyProxy] = {
    "4": lazy_gettext("4 stars or more"),
    "3": lazy_gettext("3 stars or more"),
    "2": lazy_gettext("2 stars or more"),
}
SORT_LABELS: dict[str, LazyProxy] = {
    "relevance": lazy_gettext("Best match"),
    "price_asc": lazy_gettext("Price, lowest first"),
    "price_desc": lazy_gettext("Price, highest first"),
    "rating": lazy_gettext("Rating, best first"),
}
FALLBACK_NOTE: dict[str, LazyProxy] = {
    "fi": lazy_gettext("This text is shown in Finnish."),
    "sv": lazy_gettext("This text is shown in Swedish."),
    "en": lazy_gettext("This text is shown in English."),
}
APPROVAL_LABELS: dict[str, LazyProxy] = {
    "pending": lazy_gettext("Waiting for a decision"),
    "approved": lazy_gettext("Approved"),
    "rejected": lazy_gettext("Rejected"),
    "suspended": lazy_gettext("Suspended"),
}
STATUS_LABELS: dict[str, LazyProxy] = {
    "draft": lazy_gettext("Draft"),
    "published": lazy_gettext("Published"),
    "archived": lazy_gettext("Archived"),
}
CHECKLIST_LABELS: dict[str, LazyProxy] = {
    "register_number": lazy_gettext("Registered in the Soteri register (number given)"),
    "business_id_valid": lazy_gettext("Business ID is valid"),
    "insurance": lazy_gettext("Patient and liability insurance in force"),
    "self_monitoring_plan": lazy_gettext("Self-monitoring plan received"),
}
