"""Form parsing with pydantic: translated messages per error type, input kept on errors.

A route does:
    values, data, errors = parse_form(MyForm, await request.form())
    if errors:
        return render(request, "x.html", {"values": values, "errors": errors}, status_code=422)
`values` always holds what the user typed, so a re-rendered form loses nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from annotated_types import Ge, Le
from babel.numbers import NumberFormatError, parse_decimal
from pydantic import BaseModel, ValidationError

from app.i18n import babel_locale, gettext, lazy_gettext

M = TypeVar("M", bound=BaseModel)

# A record id: what the database's INTEGER key column holds (32 bits on PostgreSQL). A larger
# number names no record (and PostgreSQL refuses it: "integer out of range"), so it is refused
# before any query: a path answers 404, a form 422.
MAX_ID = 2**31 - 1
Id = Annotated[int, Ge(1), Le(MAX_ID)]
# Amounts typed in euros: more than this many cents (21 474 836,47 €) is no budget's amount
# (the one rule for a typed amount). Stored cents are BIGINT (migration 0012), so what is
# derived from typed amounts (a line's units x repeats x price, sums) cannot overflow.
MAX_CENTS = 2**31 - 1

_MESSAGES = {
    "missing": lazy_gettext("This field is required."),
    "string_too_short": lazy_gettext("This field is required."),
    "string_too_long": lazy_gettext("The text is too long (at most %(max_length)s characters)."),
    "int_parsing": lazy_gettext("Enter a whole number."),
    "int_type": lazy_gettext("Enter a whole number."),
    "decimal_parsing": lazy_gettext("Enter a number, for example 12,50."),
    "float_parsing": lazy_gettext("Enter a number, for example 12,50."),
    "greater_than": lazy_gettext("Enter a number greater than %(gt)s."),
    "greater_than_equal": lazy_gettext("Enter a number of at least %(ge)s."),
    "less_than": lazy_gettext("Enter a number less than %(lt)s."),
    "less_than_equal": lazy_gettext("Enter a number of at most %(le)s."),
    "date_from_datetime_parsing": lazy_gettext("Enter a date, for example 31.12.2026."),
    "date_parsing": lazy_gettext("Enter a date, for example 31.12.2026."),
    "value_error": lazy_gettext("Check this value."),
    "enum": lazy_gettext("Choose one of the options."),
    "literal_error": lazy_gettext("Choose one of the options."),
    "bool_parsing": lazy_gettext("Choose yes or no."),
    "string_pattern_mismatch": lazy_gettext("Check the format of this value."),
    "email": lazy_gettext("Enter an e-mail address, for example name@example.fi."),
}


class FieldError(ValueError):
    """Raise from a validator with a translated message: ValueError(lazy_gettext(...))."""


def normalise_spaces(value: str) -> str:
    """NBSP, narrow NBSP and other odd spaces become plain spaces; trimmed."""
    return "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in value).strip()


def parse_id(value: object) -> int | None:
    """A record id as typed (ASCII digits, 1..MAX_ID), else None: '²' and '٣' are digits to
    `str.isdigit` but no id, and a 20-digit number names no record."""
    text = str(value).strip() if isinstance(value, str | int) else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The ids among `values` (a form's or query string's list), in order; the rest dropped."""
    return [number for number in map(parse_id, values) if number is not None]


def parse_decimal_between(text: str, low: Decimal | int, high: Decimal | int) -> Decimal:
    """A finite decimal number within `low`..`high` ('12,5' or '12.5'), else ValueError:
    'NaN', 'Infinity' and '1e999' are numbers to `Decimal` but no amount anyone typed."""
    cleaned = normalise_spaces(text).replace(" ", "").replace(",", ".")
    if len(cleaned) > 40:
        raise ValueError("too long")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc
    if not value.is_finite() or not low <= value <= high:
        raise ValueError("out of range")
    return value


def parse_money_cents(value: str) -> int:
    """'1 234,50 €' / '1234.5' -> 123450. Raises ValueError on anything else, and on amounts
    beyond ±MAX_CENTS (so 'NaN', 'Infinity', '1e999' and 40 digits are refused too)."""
    text = normalise_spaces(value).replace("€", "").replace("EUR", "").replace(" ", "")
    if not text or len(text) > 40:
        raise ValueError("empty or too long")
    try:
        amount = Decimal(parse_decimal(text.replace(".", ","), locale=babel_locale("fi")))
    except (NumberFormatError, InvalidOperation) as exc:
        raise ValueError("not a number") from exc
    if not amount.is_finite() or abs(amount) * 100 > MAX_CENTS:
        raise ValueError("out of range")
    cents = (amount * 100).quantize(Decimal("1"))
    if cents != amount * 100:
        raise ValueError("more than two decimals")
    return int(cents)


def message_for(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", "value_error"))
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error":
        original = ctx.get("error")
        if original is not None and str(original):
            return str(original.args[0]) if getattr(original, "args", None) else str(original)
    template = _MESSAGES.get(kind)
    if template is None:
        return gettext("Check this value.")
    if kind == "less_than_equal" and ctx.get("le") == MAX_ID:  # an Id beyond any record
        return str(_MESSAGES["enum"])
    try:
        return str(template) % {k: v for k, v in ctx.items() if isinstance(v, int | float | str)}
    except (KeyError, TypeError, ValueError):
        return str(template)


def parse_form(
    model: type[M], form: Mapping[str, Any]
) -> tuple[dict[str, Any], M | None, dict[str, str]]:
    """(values as typed, the model or None, {field: translated message})."""
    values: dict[str, Any] = {}
    for key in form:
        if key == "csrftoken":
            continue
        many = form.getlist(key) if hasattr(form, "getlist") else [form[key]]  # type: ignore[attr-defined]
        if key in model.model_fields and _is_list_field(model, key):
            values[key] = [normalise_spaces(str(v)) for v in many]
        else:
            values[key] = normalise_spaces(str(many[-1])) if many else ""
    data = {k: (v if v != "" else None) for k, v in values.items()}
    data = {k: v for k, v in data.items() if v is not None}
    try:
        return values, model.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            loc = error.get("loc") or ("__all__",)
            field = str(loc[0])
            errors.setdefault(field, message_for(error))
        return values, None, errors


def _is_list_field(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    origin = getattr(annotation, "__origin__", None)
    return origin in (list, set, tuple, frozenset)
