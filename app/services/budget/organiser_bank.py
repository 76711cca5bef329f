"""The organiser's bank account: the payer of the settlement bank file (pain.001), with the
account holder's name the file gives, set by the organiser's admin and audited. The IBAN and
BIC are checked like a provider's (`services/catalogue/bank.py`) by the form."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.errors import NotFound
from app.models.actor import Actor
from app.models.audit import AuditAction, AuditPurpose
from app.models.organiser import Organiser
from app.models.user import Role
from app.services import audit


@dataclass(frozen=True)
class BankAccount:
    holder: str
    iban: str
    bic: str


def organisers(session: Session, actor: Actor) -> list[Organiser]:
    """The organisers the actor administers, by id."""
    ids = sorted(actor.organiser_ids(Role.admin))
    rows = session.exec(
        select(Organiser).where(col(Organiser.id).in_(ids)).order_by(col(Organiser.id))
    )
    return list(rows.all())


def set_account(
    session: Session, actor: Actor, organiser_id: int, account: BankAccount
) -> Organiser:
    """Save the account of one of the actor's organisers (another's is not found)."""
    organiser = next((o for o in organisers(session, actor) if o.id == organiser_id), None)
    if organiser is None:
        raise NotFound()
    before = {"iban": organiser.iban, "bic": organiser.bic}
    organiser.bank_account_name = account.holder
    organiser.iban, organiser.bic = account.iban, account.bic
    session.add(organiser)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.update,
        "organiser",
        record_type="organiser",
        record_id=organiser.id,
        purpose=AuditPurpose.admin,
        details={
            "bank_account": {"before": before, "after": {"iban": account.iban, "bic": account.bic}}
        },
    )
    return organiser
