"""What finance takes out of a settlement: CSV and XLSX lines, and the bank's pain.001 file.

The credit-transfer file is ISO 20022 `pain.001.001.03` (the version Finnish banks take for SEPA
credit transfers): one payment per settlement, from the organiser's account to the provider's,
with the settlement's RF creditor reference (ISO 11649) as structured remittance information,
so the provider's bank can match it. Written with xml.etree: `sepaxml` writes only unstructured
remittance text. Amounts are the budget part of the lines (what the organiser pays); the
client's own share is invoiced by the provider and only reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from stdnum.iso7064 import mod_97_10

from app.errors import Conflict
from app.i18n import base_language, lazy_gettext
from app.models.organiser import Organiser
from app.services import exports

if TYPE_CHECKING:
    from app.services.budget.settlement import Detail

PAIN = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


NO_ACCOUNT = lazy_gettext(
    "The bank file needs the account (IBAN and BIC) of the organiser and of the provider."
)
NOTHING_TO_PAY = lazy_gettext("This settlement has nothing to pay, so it has no bank file.")


class NoBankFile(Conflict):
    """No bank file can be made: not approved yet (the default), no account (NO_ACCOUNT) or
    nothing to pay (NOTHING_TO_PAY)."""

    default_text = lazy_gettext("Approve the settlement before making its bank file.")


def creditor_reference(number: int) -> str:
    """The ISO 11649 (RF) creditor reference of a settlement number: RF, two check digits
    (ISO 7064 mod 97-10) and the number."""
    base = str(number)
    return "RF" + mod_97_10.calc_check_digits(base + "RF") + base


def eur(cents: int) -> Decimal:
    """Euros with two decimals, as a number (a refund's -12.50 stays a number in the file)."""
    return Decimal(cents).scaleb(-2)


@dataclass(frozen=True)
class SettlementRow:
    provider_id: int
    provider_name: str
    business_id: str
    deliveries: int
    units: int
    budget_cents: int
    own_share_cents: int

    @property
    def total_cents(self) -> int:
        return self.budget_cents + self.own_share_cents


def to_csv(rows: list[SettlementRow], year: int, month: int) -> str:
    """The month's summary, one row per provider."""
    header = [
        "month",
        "provider",
        "business_id",
        "deliveries",
        "units",
        "budget_eur",
        "own_share_eur",
        "total_eur",
    ]
    body = [
        [
            f"{year}-{month:02d}",
            r.provider_name,
            r.business_id,
            r.deliveries,
            r.units,
            eur(r.budget_cents),
            eur(r.own_share_cents),
            eur(r.total_cents),
        ]
        for r in rows
    ]
    return exports.to_csv([header, *body], delimiter=";")


def _text(texts: dict[str, Any], locale: str) -> str:
    for code in (base_language(locale), "fi", "sv", "en"):
        if texts.get(code):
            return str(texts[code])
    return ""


def line_rows(detail: Detail, locale: str) -> list[list[object]]:
    """One row per line (client by pseudonym only), with the settlement's reference."""
    s, provider = detail.settlement, detail.provider
    header: list[object] = [
        "reference",
        "month",
        "status",
        "provider",
        "business_id",
        "delivery",
        "client_ref",
        "service",
        "delivered_on",
        "units",
        "unit_price_eur",
        "amount_eur",
        "own_share_eur",
        "payable_eur",
        "adjustment",
    ]
    body: list[list[object]] = [
        [
            s.reference,
            s.period_start.strftime("%Y-%m"),
            str(s.status),
            provider.name,
            provider.business_id,
            line.delivery_id,
            line.client_ref,
            _text(line.service, locale),
            line.delivered_on.isoformat(),
            line.units,
            eur(line.unit_price_cents),
            eur(line.budget_cents + line.own_share_cents),
            eur(line.own_share_cents),
            eur(line.budget_cents),
            "yes" if line.adjustment else "no",
        ]
        for line in detail.lines
    ]
    return [header, *body]


def lines_csv(detail: Detail, locale: str) -> str:
    return exports.to_csv(line_rows(detail, locale), delimiter=";")


def lines_xlsx(detail: Detail, locale: str) -> bytes:
    return exports.to_xlsx(line_rows(detail, locale), title=detail.settlement.reference)


def _sub(parent: ET.Element, path: str, text: str | None = None, **attrs: str) -> ET.Element:
    """Append the chain of elements `A/B/C` under `parent` (text on the last)."""
    node = parent
    for name in path.split("/"):
        node = ET.SubElement(node, f"{{{PAIN}}}{name}")
    if text is not None:
        node.text = text
    node.attrib.update(attrs)
    return node


def pain001(
    details: Sequence[Detail], organiser: Organiser, execute_on: date, created: datetime
) -> bytes:
    """The credit-transfer file paying each settlement's budget part to its provider."""
    payable = [d for d in details if d.budget_cents > 0]
    if not payable:
        raise NoBankFile(NOTHING_TO_PAY)
    if not organiser.iban or not organiser.bic:
        raise NoBankFile(NO_ACCOUNT)
    if any(not d.provider.iban or not d.provider.bic for d in payable):
        raise NoBankFile(NO_ACCOUNT)
    message_id = "HEBU-" + "-".join(d.settlement.reference for d in payable)[:30]
    total = str(eur(sum(d.budget_cents for d in payable)))
    payer = (organiser.bank_account_name or _text(organiser.name, "fi"))[:70]
    ET.register_namespace("", PAIN)
    root = ET.Element(f"{{{PAIN}}}Document")
    initiation = _sub(root, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created.replace(microsecond=0, tzinfo=None).isoformat())
    _sub(header, "NbOfTxs", str(len(payable)))
    _sub(header, "CtrlSum", total)
    _sub(header, "InitgPty/Nm", payer)
    info = _sub(initiation, "PmtInf")
    _sub(info, "PmtInfId", message_id)
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "NbOfTxs", str(len(payable)))
    _sub(info, "CtrlSum", total)
    _sub(info, "PmtTpInf/SvcLvl/Cd", "SEPA")
    _sub(info, "ReqdExctnDt", execute_on.isoformat())
    _sub(info, "Dbtr/Nm", payer)
    _sub(info, "DbtrAcct/Id/IBAN", organiser.iban)
    _sub(info, "DbtrAgt/FinInstnId/BIC", organiser.bic)
    _sub(info, "ChrgBr", "SLEV")
    for d in payable:
        tx = _sub(info, "CdtTrfTxInf")
        _sub(tx, "PmtId/EndToEndId", d.settlement.reference)
        _sub(tx, "Amt/InstdAmt", str(eur(d.budget_cents)), Ccy="EUR")
        _sub(tx, "CdtrAgt/FinInstnId/BIC", d.provider.bic)
        _sub(tx, "Cdtr/Nm", d.provider.name[:70])
        _sub(tx, "CdtrAcct/Id/IBAN", d.provider.iban)
        reference = _sub(tx, "RmtInf/Strd/CdtrRefInf")
        _sub(reference, "Tp/CdOrPrtry/Cd", "SCOR")
        _sub(reference, "Ref", d.settlement.reference)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
