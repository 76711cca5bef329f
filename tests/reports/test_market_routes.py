"""The market views through HTTP on the demo: the provider's own effects (provider_effects),
need against supply (need_vs_supply), value for money (value_for_money) and the budget
follow-up (budget_spending) render with figures, download as CSV and XLSX, and are
audit-logged."""

from __future__ import annotations

import re
from io import BytesIO

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models.audit import AuditEvent, AuditPurpose
from tests.support.web import login_as

BASE = "/hallinto/raportit"


def test_provider_effects_page_shows_the_demo_providers_figures(
    client: TestClient, demo: None
) -> None:
    login_as(client, "provider-owner")
    page = client.get("/tuottaja/vaikutukset")
    assert page.status_code == 200
    assert "Järvi Hoiva Oy" in page.text and "<svg" in page.text
    assert re.search(r"n = \d+", page.text)  # figures with their n
    assert "Havainnoivia lukuja" in page.text  # labelled observational
    assert 'href="/tuottaja/vaikutukset"' in page.text  # in the provider's menu


def test_need_vs_supply_value_for_money_and_spending_pages(
    client: TestClient, demo: None, engine: Engine
) -> None:
    login_as(client, "admin")
    index = client.get(BASE).text
    for path in ["/tarve-ja-tarjonta", "/hinta-ja-vaikutus", "/talous"]:
        assert f'href="{BASE}{path}"' in index
        page = client.get(BASE + path)
        assert page.status_code == 200, path
        assert "<svg" in page.text and "<table" in page.text, path
        assert re.search(r"\d+,\d\d\u00a0€|n = \d+", page.text), path  # figures
        csv_text = client.get(f"{BASE}{path}.csv").text
        assert len(csv_text.splitlines()) > 2, path
        xlsx = client.get(f"{BASE}{path}.xlsx")
        assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert load_workbook(BytesIO(xlsx.content)).active.max_row > 2  # type: ignore[union-attr]
    need = client.get(BASE + "/tarve-ja-tarjonta").text
    assert need.index('id="gaps-heading"') < need.index("<h2>", need.index('id="gaps-heading"'))
    spending = client.get(BASE + "/talous").text  # operational: said so, no consent count
    assert 'class="consent-count"' not in spending and 'role="note"' in spending
    with Session(engine) as s:
        logged = {
            e.record_type
            for e in s.exec(
                select(AuditEvent).where(
                    AuditEvent.category == "report", AuditEvent.purpose == AuditPurpose.report
                )
            ).all()
        }
    assert {"need_vs_supply", "value_for_money", "budget_spending"} <= logged


def test_value_for_money_csv_marks_hidden_cells(client: TestClient, demo: None) -> None:
    login_as(client, "admin")
    lines = client.get(f"{BASE}/hinta-ja-vaikutus.csv").text.splitlines()
    assert lines[0].startswith("category;median_unit_price_eur;offers;clients;wellbeing_change")
