"""Locale handling: a ContextVar for the current locale, gettext helpers, Babel formatting.

Locale resolution: explicit choice (cookie / user setting) -> Accept-Language -> fi.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, negotiate_locale, numbers
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.support import LazyProxy, Translations

I18N_DIR = Path(__file__).resolve().parent
DOMAIN = "messages"
DEFAULT_LOCALE = "fi"
# The selectable languages, in menu order. The plain-language locales ("fi@selko" plain
# Finnish, "sv@latt" lättläst svenska) are sparse catalogues over their base language; a code
# fits `user.locale` (10 characters).
LOCALES: tuple[str, ...] = ("fi", "sv", "en")
PLAIN_LOCALES: tuple[str, ...] = ("fi@selko", "sv@latt")
ALL_LOCALES = LOCALES + PLAIN_LOCALES
LOCALE_NAMES = {
    "fi": "Suomi",
    "sv": "Svenska",
    "en": "English",
    "fi@selko": "Selkosuomi",
    "sv@latt": "Lättläst svenska",
}
# The header's compact switch shows the language in force by its code (the list names them).
LOCALE_SHORT = {"fi": "FI", "sv": "SV", "en": "EN", "fi@selko": "Selko", "sv@latt": "Lätt"}
LOCALE_COOKIE = "hebu_lang"

_current: ContextVar[str] = ContextVar("hebu_locale", default=DEFAULT_LOCALE)

# Finland-Swedish users expect d.M.yyyy; CLDR's sv_FI short format is ISO.
_DATE_PATTERNS = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMM yyyy"}
_BABEL_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_FI"}


def get_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> Any:
    return _current.set(locale if locale in ALL_LOCALES else DEFAULT_LOCALE)


def reset_locale(token: Any) -> None:
    _current.reset(token)


def base_language(locale: str | None = None) -> str:
    """fi@selko -> fi, sv@latt -> sv; the language used for data stored per language."""
    return (locale or get_locale()).split("@", 1)[0]


def html_lang(locale: str | None = None) -> str:
    """The BCP 47 tag of the page: plain language is the base language (no registered subtag)."""
    return base_language(locale)


def babel_locale(locale: str | None = None) -> Locale:
    return _parsed_locale(base_language(locale))


@lru_cache(maxsize=8)
def _parsed_locale(language: str) -> Locale:
    # Parsing a Babel locale is costly and pages format hundreds of numbers: parse once.
    return Locale.parse(_BABEL_LOCALES[language])


@lru_cache(maxsize=8)
def translations(locale: str) -> Translations:
    """Compiled catalogue for a locale; a plain locale falls back to its base language."""
    if locale in PLAIN_LOCALES:
        fallback = translations(base_language(locale))
        plain = Translations.load(str(I18N_DIR), [locale], DOMAIN)
        if isinstance(plain, Translations) and plain is not fallback:
            plain.add_fallback(fallback)
            return plain
        return fallback
    loaded = Translations.load(str(I18N_DIR), [locale], DOMAIN)
    return loaded if isinstance(loaded, Translations) else Translations()


def gettext(message: str, **variables: Any) -> str:
    text = translations(get_locale()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations(get_locale()).ungettext(singular, plural, n)
    variables.setdefault("num", n)
    return text % variables


def pgettext(context: str, message: str, **variables: Any) -> str:
    text = translations(get_locale()).upgettext(context, message)
    return text % variables if variables else text


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext


def _preferred(accept_language: str) -> list[str]:
    """The language tags of an Accept-Language header, best first; q=0 means "not this"."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag.strip() and quality > 0:
            weighted.append((-quality, index, tag.strip().lower()))
    return [tag for _quality, _index, tag in sorted(weighted)]


def negotiate(cookie_value: str | None, user_locale: str | None, accept_language: str) -> str:
    """Pick the locale: explicit choice -> user setting -> Accept-Language -> fi.

    Plain language (fi@selko, sv@latt) is only ever an explicit choice: no browser asks for it.
    """
    for choice in (cookie_value, user_locale):
        if choice in ALL_LOCALES:
            return choice  # type: ignore[return-value]
    found = negotiate_locale(_preferred(accept_language), LOCALES, sep="-", aliases=None)
    return found or DEFAULT_LOCALE


def format_money(cents: int, currency: str = "EUR", locale: str | None = None) -> str:
    """Integer cents -> '12 345,50 €' in the current locale. Never takes a float."""
    if isinstance(cents, float) or not isinstance(cents, int):
        raise TypeError("money is integer cents")
    return _format_money(int(cents), currency, base_language(locale))


@lru_cache(maxsize=4096)
def _format_money(cents: int, currency: str, language: str) -> str:
    amount = Decimal(cents).scaleb(-2)
    return numbers.format_currency(amount, currency, locale=_parsed_locale(language))


def format_decimal(value: int | Decimal, locale: str | None = None) -> str:
    return numbers.format_decimal(value, locale=babel_locale(locale))


def format_percent(value: Decimal | int, locale: str | None = None) -> str:
    return numbers.format_percent(value, locale=babel_locale(locale))


def format_date(value: date | datetime | None, locale: str | None = None) -> str:
    if value is None:
        return ""
    lang = base_language(locale)
    return _babel_format_date(value, _DATE_PATTERNS[lang], locale=babel_locale(locale))


def format_month(value: date | str | None, locale: str | None = None) -> str:
    """Month and year only ("marraskuu 2026"); accepts a date or a "YYYY-MM" key."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        year, month = value.split("-")[:2]
        value = date(int(year), int(month), 1)
    return _babel_format_date(value, "LLLL yyyy", locale=babel_locale(locale))


def format_datetime(value: datetime | None, locale: str | None = None) -> str:
    if value is None:
        return ""
    lang = base_language(locale)
    pattern = _DATE_PATTERNS[lang] + " HH:mm"
    return _babel_format_datetime(value, pattern, locale=babel_locale(locale))


def localized(texts: dict[str, str] | None, locale: str | None = None) -> tuple[str, str | None]:
    """Pick a per-language text: (text, fallback language or None when in the asked language)."""
    if not texts:
        return "", None
    lang = base_language(locale)
    if texts.get(lang):
        return texts[lang], None
    for other in ("fi", "sv", "en"):
        if texts.get(other):
            return texts[other], other
    return "", None
