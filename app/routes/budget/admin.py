"""Organiser admins: the month's settlements per provider, each settlement's lines, its
states (approve, sent, paid) and its files (CSV, XLSX, the bank's pain.001)."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from app.deps import Admin, DbSession
from app.errors import Invalid
from app.forms import MAX_ID, FieldError, Id, parse_form
from app.i18n import get_locale, lazy_gettext
from app.models.settlement import SettlementStatus
from app.models.user import Role
from app.navigation import register
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, done, post_form, render_inline_form
from app.services.budget import organiser_bank, settlement, settlement_files
from app.services.catalogue import bank
from app.services.identity.mandates import today as finnish_today
from app.templating import render

router = APIRouter()
register("/hallinto/tilitys", lazy_gettext("Settlement"), {Role.admin}, order=60)
BANK_URL = "/hallinto/pankkitili"
register(BANK_URL, lazy_gettext("Bank account"), {Role.admin}, order=61)


class ApproveForm(BaseModel):
    total_cents: int = Field(ge=-MAX_ID, le=MAX_ID)  # cents, as the database holds them


def _month(month: str | None) -> tuple[int, int]:
    today = date.today()
    if month:
        try:
            year_text, month_text = month.split("-", 1)
            year, number = int(year_text), int(month_text)
            if 2000 <= year <= 2100 and 1 <= number <= 12:
                return year, number
        except ValueError:
            pass
    return today.year, today.month


@router.get("/hallinto/tilitys")
def settlement_page(
    request: Request, session: DbSession, actor: Admin, month: str | None = None
) -> Response:
    year, number = _month(month)
    details = settlement.month_details(session, actor, year, number)
    context = {
        "details": details,
        "month": f"{year}-{number:02d}",
        "total": sum(d.total_cents for d in details),
        "month_label": f"{number}/{year}",
    }
    return render(request, "budget/admin/settlement.html", context)


def _download(body: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/hallinto/tilitys.csv")
def settlement_csv(session: DbSession, actor: Admin, month: str | None = None) -> Response:
    year, number = _month(month)
    body = settlement.to_csv(settlement.monthly(session, actor, year, number), year, number)
    return _download(body, "text/csv; charset=utf-8", f"tilitys-{year}-{number:02d}.csv")


@router.get("/hallinto/tilitys/{settlement_id}")
def settlement_detail(
    request: Request, settlement_id: Id, session: DbSession, actor: Admin
) -> Response:
    context = {"d": settlement.detail(session, actor, settlement_id)}
    return render(request, "budget/admin/settlement_detail.html", context)


def _advance(
    request: Request,
    session: DbSession,
    actor: Admin,
    settlement_id: int,
    to: SettlementStatus,
    seen: int | None = None,
) -> Response:
    settlement.advance(session, actor, settlement_id, to, seen)
    return done(request, f"/hallinto/tilitys/{settlement_id}")


@router.post("/hallinto/tilitys/{settlement_id}/hyvaksy")
def approve(
    request: Request, settlement_id: Id, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    seen = parse_form(ApproveForm, form)[1]  # unreadable: "changed", approve again
    total = seen.total_cents if seen else None
    return _advance(request, session, actor, settlement_id, SettlementStatus.approved, total)


@router.post("/hallinto/tilitys/{settlement_id}/lahetetty")
def mark_sent(request: Request, settlement_id: Id, session: DbSession, actor: Admin) -> Response:
    return _advance(request, session, actor, settlement_id, SettlementStatus.sent)


@router.post("/hallinto/tilitys/{settlement_id}/maksettu")
def mark_paid(request: Request, settlement_id: Id, session: DbSession, actor: Admin) -> Response:
    return _advance(request, session, actor, settlement_id, SettlementStatus.paid)


@router.get("/hallinto/tilitys/{settlement_id}/rivit.csv")
def lines_csv(settlement_id: Id, session: DbSession, actor: Admin) -> Response:
    found = settlement.detail(session, actor, settlement_id)
    body = settlement_files.lines_csv(found, get_locale())
    name = f"tilitys-{found.settlement.reference}.csv"
    return _download(body, "text/csv; charset=utf-8", name)


@router.get("/hallinto/tilitys/{settlement_id}/rivit.xlsx")
def lines_xlsx(settlement_id: Id, session: DbSession, actor: Admin) -> Response:
    found = settlement.detail(session, actor, settlement_id)
    body = settlement_files.lines_xlsx(found, get_locale())
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(body, media, f"tilitys-{found.settlement.reference}.xlsx")


@router.get("/hallinto/tilitys/{settlement_id}/maksu.xml")
def bank_file(settlement_id: Id, session: DbSession, actor: Admin) -> Response:
    body = settlement.bank_file(session, actor, settlement_id, finnish_today())
    return _download(body, "application/xml", f"pain001-{settlement_id}.xml")


class BankAccountForm(BaseModel):
    """The organiser's account the bank file pays from: holder, IBAN and BIC, all needed."""

    holder: str = Field(min_length=1, max_length=70)
    iban: str = Field(min_length=1, max_length=50)
    bic: str = Field(min_length=1, max_length=20)

    @field_validator("iban", "bic")
    @classmethod
    def _bank(cls, value: str, info: ValidationInfo) -> str:
        try:
            return bank.normal(str(info.field_name), value) or ""
        except Invalid as exc:
            raise FieldError(exc.text()) from exc


def _bank_page(
    request: Request,
    session: DbSession,
    actor: Admin,
    organiser_id: int | None = None,
    **shown: Unpack[FormShown],
) -> Response:
    """The bank account of each organiser the admin administers; the form of `organiser_id`
    is shown again with what was typed and its errors."""
    context = {"organisers": organiser_bank.organisers(session, actor)}
    template = "budget/admin/bank_account.html"
    return render_inline_form(request, template, context, form_id=organiser_id, **shown)


@router.get(BANK_URL)
def bank_account_page(request: Request, session: DbSession, actor: Admin) -> Response:
    return _bank_page(request, session, actor)


@router.post(BANK_URL + "/{organiser_id}")
def save_bank_account(
    request: Request, organiser_id: Id, session: DbSession, actor: Admin, form: PostedForm
) -> Response:
    def act(data: BankAccountForm) -> object:
        account = organiser_bank.BankAccount(data.holder.strip(), data.iban, data.bic)
        return organiser_bank.set_account(session, actor, organiser_id, account)

    again = partial(_bank_page, request, session, actor, organiser_id)
    return post_form(
        request, form, BankAccountForm, act=act, then=BANK_URL, again=again, session=session,
        once_for=actor,
    )  # fmt: skip
