"""The market views through HTTP on the demo: the provider's own effects (provider_effects),
need against supply (need_vs_supply), value for money (value_for_money) and the budget
follow-up (budget_spending) render with figures, download as CSV and XLSX, and are
audit-logged."""

from __future__ import annotations

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
    assert page.status_code == 200, page.text[-3000:]
    print(page.text[page.text.find("<main"):][:6000])


def test_need_vs_supply_value_for_money_and_spending_pages(client: TestClient, demo: None) -> None:
    login_as(client, "admin")
    for path in ["/tarve-ja-tarjonta", "/hinta-ja-vaikutus", "/talous", ""]:
        page = client.get(BASE + path)
        assert page.status_code == 200, (path, page.text[-3000:])
        main = page.text[page.text.find("<main") :]
        print(path, main[:7000])
