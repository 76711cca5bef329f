"""A provider's bank account: IBAN and BIC, checked (python-stdnum) and kept in one form."""

from __future__ import annotations

from types import ModuleType

from stdnum import bic, iban

from app.errors import Invalid
from app.i18n import lazy_gettext


class InvalidIban(Invalid):
    default_text = lazy_gettext(
        "Check the account number: an IBAN such as FI21 1234 5600 0007 85 (the check digits "
        "did not match)."
    )


class InvalidBic(Invalid):
    default_text = lazy_gettext(
        "Check the bank's BIC code: 8 or 11 letters and digits, for example NDEAFIHH."
    )


CHECKS: dict[str, tuple[ModuleType, type[Invalid]]] = {
    "iban": (iban, InvalidIban),
    "bic": (bic, InvalidBic),
}


def normal(kind: str, value: str | None) -> str | None:
    """The IBAN or BIC (`kind`) without spaces, upper case; None when empty; its Invalid error
    when the check digits or the form are wrong."""
    text = (value or "").strip()
    if not text:
        return None
    number, error = CHECKS[kind]
    if not number.is_valid(text):
        raise error()
    return str(number.compact(text))
