"""The organiser's bank account page: the admin sets the account the bank file pays from
(holder, IBAN, BIC), checked like a provider's; a wrong value is refused with a translated
message next to its field and what was typed kept; the pain.001 file then uses it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import i18n
from app.models.audit import AuditEvent
from app.models.organiser import Organiser
from app.models.user import User
from app.services.catalogue.bank import InvalidIban
from tests.support.web import form_post, login_as

URL = "/hallinto/pankkitili"


def _jarvimaa(session: Session) -> Organiser:
    session.expire_all()
    return session.exec(select(Organiser).where(Organiser.code == "jarvimaa")).one()


def test_the_admin_saves_the_account_and_the_bank_file_pays_from_it(
    client: TestClient, demo: None, session: Session
) -> None:
    organiser = _jarvimaa(session)
    login_as(client, "admin")
    page = client.get(URL)
    assert page.status_code == 200 and 'value="FI2112345600000785"' in page.text
    posted = form_post(
        client,
        f"{URL}/{organiser.id}",
        {"holder": "Järvimaan hyvinvointialue, maksuliikenne", "iban": "fi55 4234 5670 0000 81",
         "bic": "okoyfihh"},
    )  # fmt: skip
    assert posted.status_code == 303
    organiser = _jarvimaa(session)
    assert (organiser.iban, organiser.bic) == ("FI5542345670000081", "OKOYFIHH")
    assert organiser.bank_account_name == "Järvimaan hyvinvointialue, maksuliikenne"
    audited = session.exec(
        select(AuditEvent).where(
            AuditEvent.record_type == "organiser", AuditEvent.record_id == str(organiser.id)
        )
    ).all()
    assert audited
    # The bank file of an approved settlement names the new account and holder as the payer.
    month = date.today().strftime("%Y-%m")
    overview = client.get(f"/hallinto/tilitys?month={month}").text
    sid = re.search(r'href="/hallinto/tilitys/(\d+)"', overview).group(1)  # type: ignore[union-attr]
    detail = client.get(f"/hallinto/tilitys/{sid}").text
    total = re.search(r'name="total_cents" value="(-?\d+)"', detail).group(1)  # type: ignore[union-attr]
    assert (
        form_post(client, f"/hallinto/tilitys/{sid}/hyvaksy", {"total_cents": total}).status_code
        == 303
    )
    bank_file = client.get(f"/hallinto/tilitys/{sid}/maksu.xml").text
    assert "<IBAN>FI5542345670000081</IBAN>" in bank_file.split("<CdtTrfTxInf>")[0]
    assert "<Nm>Järvimaan hyvinvointialue, maksuliikenne</Nm>" in bank_file


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_a_wrong_account_is_refused_in_the_users_language_keeping_what_was_typed(
    client: TestClient, demo: None, session: Session, locale: str
) -> None:
    organiser = _jarvimaa(session)
    admin = session.exec(select(User).where(User.dev_persona == "admin")).one()
    admin.locale = locale
    session.add(admin)
    session.commit()
    login_as(client, "admin")
    typed = {"holder": "Maksaja Oy", "iban": "FI21 1234 5600 0007 86", "bic": "NDEAFIHH"}
    answer = form_post(client, f"{URL}/{organiser.id}", typed)
    assert answer.status_code == 422
    token = i18n.set_locale(locale)
    message = str(InvalidIban.default_text)
    i18n.reset_locale(token)
    assert not message.startswith("Check the account number")  # translated
    assert message.replace("'", "&#39;") in answer.text
    assert 'value="FI21 1234 5600 0007 86"' in answer.text and 'value="Maksaja Oy"' in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert _jarvimaa(session).iban == "FI2112345600000785"  # nothing saved
    empty = form_post(
        client, f"{URL}/{organiser.id}", {**typed, "iban": "FI5542345670000081", "bic": ""}
    )
    assert empty.status_code == 422 and _jarvimaa(session).bic == "NDEAFIHH"


def test_only_the_own_organiser_and_only_with_the_form_token(
    client: TestClient, demo: None, session: Session
) -> None:
    organiser = _jarvimaa(session)
    good = {"holder": "X", "iban": "FI5542345670000081", "bic": "OKOYFIHH"}
    login_as(client, "admin")
    assert client.post(f"{URL}/{organiser.id}", data=good).status_code == 403  # no CSRF token
    other = Organiser(code="muu", name={"fi": "Muu alue", "sv": "Annat område"})
    session.add(other)
    session.commit()
    assert form_post(client, f"{URL}/{other.id}", good).status_code == 404
    login_as(client, "case-worker")
    assert client.get(URL).status_code == 403
    assert _jarvimaa(session).iban == "FI2112345600000785"
