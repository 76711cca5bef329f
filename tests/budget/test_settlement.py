"""Settlement: derived from ledger entries, frozen once approved, corrections carried into
the next month as adjustment lines, RF references, the pain.001 bank file, bank accounts."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from stdnum import iso11649

from app.i18n import set_locale
from app.models.audit import AuditEvent
from app.models.budget import Budget, PlanLine
from app.models.ledger import Delivery, EntryKind, LedgerEntry
from app.models.settlement import SettlementEntry, SettlementStatus
from app.models.user import Role
from app.routes.catalogue.provider_forms import ProviderForm
from app.services.budget import deliveries, ledger, settlement, settlement_files
from app.services.catalogue import bank
from tests.budget.test_plan_and_ledger import _confirmed_line
from tests.support.budget_world import TODAY, BudgetWorld, build, user
from tests.support.web import form_post, login_as

XSD = Path(__file__).parent.parent / "fixtures" / "pain.001.001.03.xsd"
MAY = date(2026, 5, 12)
NS = {"p": settlement_files.PAIN}


@pytest.fixture
def world(session: Session) -> BudgetWorld:
    return build(session)


def _admin(world: BudgetWorld):  # noqa: ANN202
    return world.actor(user(world.session, "Anna", Role.admin, organiser_id=world.organiser.id))


def _delivered(
    world: BudgetWorld, budget: Budget, line: PlanLine, on: date, units: int, confirm: bool = True
) -> Delivery:
    provider = world.actor(world.provider_user)
    delivery = deliveries.report_delivery(
        world.session,
        provider,
        line.id,
        on,
        units,
        "",
        today=TODAY,  # type: ignore[arg-type]
    )
    if confirm:
        deliveries.accept(world.session, world.actor(world.client), budget, delivery.id)  # type: ignore[arg-type]
    return delivery


def _reverse(world: BudgetWorld, budget: Budget, line: PlanLine, delivery: Delivery) -> None:
    """A reversing entry, as a dispute's outcome or a correction posts it (never an edit)."""
    ledger.post(
        world.session,
        budget,
        EntryKind.correction,
        delivery.budget_cents,
        f"reversal:{delivery.id}",
        delivery=delivery,
        line=line,
    )


def test_lines_come_from_ledger_entries_one_per_delivery(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world)
    first = _delivered(world, budget, line, MAY, 2)
    second = _delivered(world, budget, line, MAY.replace(day=20), 1)
    _delivered(world, budget, line, MAY, 1, confirm=False)  # not posted: not settled
    # A delivery row edited behind the ledger's back does not change what is paid.
    first.amount_cents = first.budget_cents = 1
    world.session.add(first)
    world.session.flush()
    [found] = settlement.month_details(world.session, _admin(world), 2026, 5)
    assert found.settlement.status == SettlementStatus.open
    assert [ln.delivery_id for ln in found.lines] == [first.id, second.id]
    assert [ln.budget_cents for ln in found.lines] == [10_000, 5_000]
    assert [ln.units for ln in found.lines] == [2, 1]
    assert found.lines[0].unit_price_cents == 5_000 and found.lines[0].service["fi"]
    assert found.lines[0].client_ref.startswith("AS-") and "Aino" not in found.lines[0].client_ref
    for ln in found.lines:  # each line is made of exactly its delivery's entries
        linked = world.session.exec(
            select(LedgerEntry)
            .join(SettlementEntry, SettlementEntry.ledger_entry_id == LedgerEntry.id)
            .where(SettlementEntry.settlement_line_id == ln.id)
        ).all()
        assert linked and {e.delivery_id for e in linked} == {ln.delivery_id}
    # Reading again settles nothing twice.
    assert settlement.refresh(world.session, [world.organiser.id]) == 0  # type: ignore[list-item]
    assert settlement.month_details(world.session, _admin(world), 2026, 6) == []


def test_approved_settlement_is_frozen_and_corrections_go_to_the_next(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world)
    admin = _admin(world)
    kept = _delivered(world, budget, line, MAY, 2)
    late = _delivered(world, budget, line, MAY, 1, confirm=False)
    [may] = settlement.month_details(world.session, admin, 2026, 5)
    settlement.advance(world.session, admin, may.settlement.id, SettlementStatus.approved, 10_000)  # type: ignore[arg-type]
    _reverse(world, budget, line, kept)
    deliveries.accept(world.session, world.actor(world.client), budget, late.id)  # type: ignore[arg-type]
    [may_again] = settlement.month_details(world.session, admin, 2026, 5)
    assert [(ln.delivery_id, ln.budget_cents) for ln in may_again.lines] == [(kept.id, 10_000)]
    assert may_again.settlement.status == SettlementStatus.approved
    [june] = settlement.month_details(world.session, admin, 2026, 6)
    adjustments = {ln.delivery_id: ln for ln in june.lines}
    assert all(ln.adjustment for ln in june.lines)
    assert (adjustments[kept.id].budget_cents, adjustments[kept.id].units) == (-10_000, -2)
    assert (adjustments[late.id].budget_cents, adjustments[late.id].units) == (5_000, 1)
    assert june.settlement.reference != may.settlement.reference


def test_states_move_one_step_at_a_time_with_who_and_when(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world)
    admin = _admin(world)
    _delivered(world, budget, line, MAY, 2)
    [may] = settlement.month_details(world.session, admin, 2026, 5)
    sid = may.settlement.id
    with pytest.raises(settlement.StaleSettlement) as moved:
        settlement.advance(world.session, admin, sid, SettlementStatus.sent)  # type: ignore[arg-type]
    _delivered(world, budget, line, MAY, 1)  # arrived after the admin looked
    assert moved.value.message == settlement.MOVED
    with pytest.raises(settlement.StaleSettlement) as changed:
        settlement.advance(world.session, admin, sid, SettlementStatus.approved, 10_000)  # type: ignore[arg-type]
    assert changed.value.message == settlement.CHANGED
    done = settlement.advance(world.session, admin, sid, SettlementStatus.approved, 15_000)  # type: ignore[arg-type]
    assert done.approved_by_id == admin.user_id and done.approved_at is not None
    with pytest.raises(settlement.StaleSettlement):
        settlement.advance(world.session, admin, sid, SettlementStatus.approved, 15_000)  # type: ignore[arg-type]
    settlement.advance(world.session, admin, sid, SettlementStatus.sent)  # type: ignore[arg-type]
    paid = settlement.advance(world.session, admin, sid, SettlementStatus.paid)  # type: ignore[arg-type]
    assert paid.status == SettlementStatus.paid and paid.paid_by_id == admin.user_id
    assert paid.sent_at is not None and paid.sent_by_id == admin.user_id
    moves = world.session.exec(
        select(AuditEvent).where(
            AuditEvent.category == "settlement", AuditEvent.record_id == str(sid)
        )
    ).all()
    assert [(e.details or {}).get("status") for e in moves if (e.details or {}).get("status")] == [
        "approved",
        "sent",
        "paid",
    ]


def test_another_organisers_admin_cannot_see_or_move_it(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world)
    _delivered(world, budget, line, MAY, 1)
    [may] = settlement.month_details(world.session, _admin(world), 2026, 5)
    other = build(world.session, code="other")
    stranger = _admin(other)
    assert settlement.month_details(world.session, stranger, 2026, 5) == []
    with pytest.raises(settlement.NotFound):
        settlement.advance(
            world.session, stranger, may.settlement.id, SettlementStatus.approved, 5_000
        )  # type: ignore[arg-type]


@pytest.mark.parametrize("number", [1, 7, 42, 1234567, 2**31 - 1])
def test_creditor_reference_is_a_valid_rf_reference(number: int) -> None:
    reference = settlement_files.creditor_reference(number)
    assert iso11649.is_valid(reference) and reference.endswith(str(number))
    assert settlement_files.creditor_reference(539007547034) == "RF18539007547034"


def _bank_ready(world: BudgetWorld) -> None:
    world.organiser.iban, world.organiser.bic = "FI2112345600000785", "NDEAFIHH"
    world.provider.iban, world.provider.bic = "FI5542345670000081", "OKOYFIHH"
    world.session.add_all([world.organiser, world.provider])
    world.session.flush()


def test_bank_file_validates_against_pain_001_and_carries_the_rf_reference(
    world: BudgetWorld,
) -> None:
    budget, line = _confirmed_line(world)
    admin = _admin(world)
    _delivered(world, budget, line, MAY, 3)
    [may] = settlement.month_details(world.session, admin, 2026, 5)
    sid: int = may.settlement.id  # type: ignore[assignment]
    with pytest.raises(settlement_files.NoBankFile) as early:
        settlement.bank_file(world.session, admin, sid, TODAY)
    assert early.value.message == settlement_files.NoBankFile.default_text
    settlement.advance(world.session, admin, sid, SettlementStatus.approved, 15_000)
    with pytest.raises(settlement_files.NoBankFile) as no_account:
        settlement.bank_file(world.session, admin, sid, TODAY)
    assert no_account.value.message == settlement_files.NO_ACCOUNT
    _bank_ready(world)
    body = settlement.bank_file(world.session, admin, sid, TODAY)
    xmlschema.XMLSchema(XSD).validate(body.decode())
    root = ET.fromstring(body)  # noqa: S314 - our own output
    tx = root.find(".//p:CdtTrfTxInf", NS)
    assert tx is not None
    assert tx.findtext("p:Amt/p:InstdAmt", namespaces=NS) == "150.00"
    assert tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == "FI5542345670000081"
    ref = tx.find("p:RmtInf/p:Strd/p:CdtrRefInf", NS)
    assert ref is not None and ref.findtext("p:Tp/p:CdOrPrtry/p:Cd", namespaces=NS) == "SCOR"
    assert ref.findtext("p:Ref", namespaces=NS) == may.settlement.reference
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "150.00"


def test_a_file_with_a_broken_amount_fails_the_schema(world: BudgetWorld) -> None:
    """The schema check is real: a negative amount is not a valid pain.001."""
    budget, line = _confirmed_line(world)
    _bank_ready(world)
    _delivered(world, budget, line, MAY, 1)
    [may] = settlement.month_details(world.session, _admin(world), 2026, 5)
    body = settlement_files.pain001([may], world.organiser, TODAY, datetime(2026, 6, 1, 9))
    broken = body.decode().replace(">50.00<", ">-50.00<")
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xmlschema.XMLSchema(XSD).validate(broken)


def test_lines_csv_and_xlsx_carry_the_lines_without_names(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world)
    _delivered(world, budget, line, MAY, 2)
    [may] = settlement.month_details(world.session, _admin(world), 2026, 5)
    text = settlement_files.lines_csv(may, "fi")
    header, row = text.splitlines()
    assert header.startswith("reference;month;status;provider")
    assert row.startswith(may.settlement.reference) and "Aino" not in text
    assert ";100.00;0.00;100.00;no" in row
    assert settlement_files.lines_xlsx(may, "fi")[:2] == b"PK"


@pytest.mark.parametrize(
    ("locale", "message"),
    [("fi", "Tarkista tilinumero"), ("sv", "Kontrollera kontonumret"), ("en", "Check the account")],
)
def test_iban_is_checked_on_the_profile_with_a_translated_message(
    locale: str, message: str
) -> None:
    set_locale(locale)
    try:
        values = {"name": "Oy", "business_id": "1572860-0", "description_fi": "x"}
        with pytest.raises(ValueError, match=message):
            ProviderForm(**values, iban="FI21 1234 5600 0007 86")
        with pytest.raises(ValueError):
            ProviderForm(**values, iban="FI2112345600000785", bic="NDEA")
        form = ProviderForm(**values, iban="fi21 1234 5600 0007 85", bic="ndeafihh")
        assert (form.iban, form.bic) == ("FI2112345600000785", "NDEAFIHH")
    finally:
        set_locale("fi")
    with pytest.raises(bank.InvalidIban):
        bank.normal("iban", "FI00 0000")


def test_admin_approves_over_http_and_the_provider_sees_the_state(
    client: TestClient, demo: None
) -> None:
    login_as(client, "admin")
    month = date.today().strftime("%Y-%m")
    overview = client.get(f"/hallinto/tilitys?month={month}").text
    sid = re.search(r'href="/hallinto/tilitys/(\d+)"', overview).group(1)  # type: ignore[union-attr]
    page = client.get(f"/hallinto/tilitys/{sid}").text
    total = re.search(r'name="total_cents" value="(-?\d+)"', page).group(1)  # type: ignore[union-attr]
    assert (
        form_post(client, f"/hallinto/tilitys/{sid}/hyvaksy", {"total_cents": "1"}).status_code
        == 409
    )
    answer = form_post(client, f"/hallinto/tilitys/{sid}/hyvaksy", {"total_cents": total})
    assert answer.status_code == 303, answer.text
    assert "/lahetetty" in client.get(f"/hallinto/tilitys/{sid}").text
    csv_text = client.get(f"/hallinto/tilitys/{sid}/rivit.csv").text
    assert csv_text.splitlines()[1].split(";")[2] == "approved"
    reference = csv_text.splitlines()[1].split(";")[0]
    bank_file = client.get(f"/hallinto/tilitys/{sid}/maksu.xml")  # the demo has both accounts
    assert bank_file.status_code == 200 and reference in bank_file.text
    xmlschema.XMLSchema(XSD).validate(bank_file.text)
    login_as(client, "provider-owner")
    own = client.get("/tuottaja/tilitykset").text
    assert reference in own and "Hyväksytty" in own  # each line shows its settlement's state


def test_verify_finds_a_line_that_no_longer_matches_its_entries(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world)
    admin = _admin(world)
    _delivered(world, budget, line, MAY, 2)
    [may] = settlement.month_details(world.session, admin, 2026, 5)
    settlement.advance(world.session, admin, may.settlement.id, SettlementStatus.approved, 10_000)  # type: ignore[arg-type]
    assert settlement.verify(world.session) == []
    tampered = may.lines[0]
    tampered.budget_cents += 1
    world.session.add(tampered)
    if world.session.get_bind().dialect.name == "postgresql":  # the database refuses it
        with pytest.raises(IntegrityError, match="approved settlement"):
            world.session.flush()
        return
    world.session.flush()
    problems = {p.problem for p in settlement.verify(world.session)}
    assert f"settlement line {tampered.id} differs" in problems
    assert f"settlement line {tampered.id} changed after approval" in problems


def test_a_provider_sees_only_its_own_settlements(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world)
    _delivered(world, budget, line, MAY, 2)
    [mine] = settlement.for_provider(world.session, world.actor(world.provider_user))
    assert [ln.budget_cents for ln in mine.lines] == [10_000]
    other = build(world.session, code="elsewhere")
    assert settlement.for_provider(world.session, other.actor(other.provider_user)) == []
