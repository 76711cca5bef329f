"""Admin report pages through HTTP (demo data): render, downloads, comments, manual indicators,
ROSI, audit logging, and small-cell suppression of the demo's two clients."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models.audit import AuditEvent, AuditPurpose
from app.models.report import (
    IndicatorComment,
    IndicatorTarget,
    ManualIndicator,
    ManualIndicatorValue,
)
from app.services.reports.periods import HalfYear
from tests.support.web import form_post, login_as

BASE = "/hallinto/raportit"


def test_every_report_renders_and_is_audit_logged(
    client: TestClient, demo: None, engine: Engine
) -> None:
    login_as(client, "admin")
    for path in ["", "/indikaattorit", "/vaikutukset", "/tavoitteet", "/kustannukset"]:
        response = client.get(BASE + path)
        assert response.status_code == 200, (path, response.text[-2000:])
    with Session(engine) as s:
        logged = s.exec(
            select(AuditEvent).where(
                AuditEvent.category == "report", AuditEvent.purpose == AuditPurpose.report
            )
        ).all()
    assert {e.record_type for e in logged} == {
        "indicators",
        "provider_effects",
        "goal_attainment",
        "costs",
    }


def test_indicator_report_suppresses_the_demo_clients(client: TestClient, demo: None) -> None:
    login_as(client, "admin")
    page = client.get(f"{BASE}/indikaattorit").text
    assert "A. Taustaindikaattorit" in page
    assert "piilotettu: alle 5 asiakasta" in page  # the demo has fewer than five clients
    assert "Kommentit raportointikauden kehitykseen" in page
    csv_text = client.get(f"{BASE}/indikaattorit.csv").text
    assert csv_text.startswith("block;code;indicator;unit;")
    assert "<5" in csv_text
    response = client.get(f"{BASE}/indikaattorit.xlsx")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None and sheet.cell(1, 1).value == "block"


def test_comments_and_manual_indicators(client: TestClient, demo: None, engine: Engine) -> None:
    login_as(client, "admin")
    period = HalfYear.of(date.today()).key
    saved = form_post(
        client,
        f"{BASE}/indikaattorit/kommentti",
        {"block": "C13", "period": period, "text": "Kysely otettiin käyttöön."},
    )
    assert saved.status_code == 303
    assert "Kysely otettiin käyttöön." in client.get(f"{BASE}/indikaattorit?alku={period}").text
    assert (
        form_post(
            client, f"{BASE}/indikaattorit/kommentti", {"block": "Z", "period": period}
        ).status_code
        == 404
    )
    bad = form_post(client, f"{BASE}/indikaattorit/omat", {"block": "C33", "name": ""})
    assert bad.status_code == 422
    added = form_post(
        client, f"{BASE}/indikaattorit/omat", {"block": "C33", "name": "Henkilöstö", "unit": "htv"}
    )
    assert added.status_code == 303
    with Session(engine) as s:
        indicator = s.exec(select(ManualIndicator)).one()
    wrong = form_post(client, f"{BASE}/indikaattorit/omat/{indicator.id}", {f"v-{period}": "x"})
    assert wrong.status_code == 422 and 'value="x"' in wrong.text
    ok = form_post(client, f"{BASE}/indikaattorit/omat/{indicator.id}", {f"v-{period}": "12,5"})
    assert ok.status_code == 303
    with Session(engine) as s:
        value = s.exec(select(ManualIndicatorValue)).one()
        assert str(value.value.normalize()) == "12.5"
        assert s.exec(select(IndicatorComment)).one().block == "C13"
    csv_text = client.get(f"{BASE}/indikaattorit.csv?alku={period}").text
    assert "Henkilöstö;htv;12.5" in csv_text
    assert "Kysely otettiin käyttöön." in csv_text


def test_rosi_calculator_and_reference_costs(client: TestClient, demo: None) -> None:
    login_as(client, "admin")
    page = client.get(f"{BASE}/kustannukset?laske=1&v-child-in-care=1")
    assert page.status_code == 200
    # The inputs come from recorded data; the tool is a cost row, not a prevented outcome.
    rosi_part = page.text.split('id="rosi-heading"')[1].split('id="ref-heading"')[0]
    costs_table, _rest = rosi_part.split("<fieldset>", 1)
    assert "Itsearviointityökalu" in costs_table and "€ / h" not in costs_table
    assert 'name="v-self-assessment-tool"' not in page.text and 'name="kulut"' not in page.text
    assert 'role="status"' in rosi_part and ") / " in rosi_part  # the formula with its figures
    assert client.get(f"{BASE}/kustannukset?laske=1&v-prison=x").status_code == 422
    # No recorded costs in the period: no ROSI, and the page says why.
    empty = client.get(f"{BASE}/kustannukset?alku=2000-01-01&loppu=2001-01-01&laske=1")
    assert empty.status_code == 422 and 'id="f-rosi"' in empty.text
    field = re.search(r'name="cost-(\d+)" inputmode="decimal" value="130000,00"', page.text)
    assert field
    changed = form_post(
        client, f"{BASE}/kustannukset/viitekustannukset", {f"cost-{field.group(1)}": "140 000"}
    )
    assert changed.status_code == 303
    wrong = form_post(
        client, f"{BASE}/kustannukset/viitekustannukset", {f"cost-{field.group(1)}": "paljon"}
    )
    assert wrong.status_code == 422 and 'value="paljon"' in wrong.text
    assert 'value="140000,00"' in client.get(f"{BASE}/kustannukset").text


def test_reports_are_for_admins_only(client: TestClient, demo: None) -> None:
    login_as(client, "case-worker")
    assert client.get(f"{BASE}/indikaattorit").status_code == 403
    login_as(client, "client")
    assert client.get(f"{BASE}/indikaattorit.csv").status_code == 403


def test_core_indicators_carry_a_target_beside_the_baseline(
    client: TestClient, demo: None, engine: Engine
) -> None:
    login_as(client, "admin")
    page = client.get(f"{BASE}/indikaattorit").text
    assert 'name="t-B2"' in page and 'name="t-C4"' in page and "Lähtötaso" in page
    wrong = form_post(client, f"{BASE}/indikaattorit/tavoitteet", {"t-B2": "paljon"})
    assert wrong.status_code == 422 and 'value="paljon"' in wrong.text
    # A code that is not a core indicator is ignored; an empty field removes a target.
    saved = form_post(
        client, f"{BASE}/indikaattorit/tavoitteet", {"t-B2": "21", "t-B1": "80,5", "t-X9": "1"}
    )
    assert saved.status_code == 303
    with Session(engine) as s:
        stored = {t.code: t.value for t in s.exec(select(IndicatorTarget)).all()}
    assert stored == {"B2": Decimal("21"), "B1": Decimal("80.5")}
    csv_rows = client.get(f"{BASE}/indikaattorit.csv").text.splitlines()
    assert csv_rows[0].endswith(";target")
    assert any(r.startswith("B;B2;") and r.endswith(";21") for r in csv_rows)
    assert form_post(client, f"{BASE}/indikaattorit/tavoitteet", {"t-B2": ""}).status_code == 303
    with Session(engine) as s:
        assert {t.code for t in s.exec(select(IndicatorTarget)).all()} == {"B1"}
