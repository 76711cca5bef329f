"""Research downloads: no cell a spreadsheet would run, numbers (also negative ones) kept."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session

from app.services import disclosure
from app.services.research import arm_report, export
from tests.research.test_arm_report import _admin, _world


def test_research_export_neutralises_an_organiser_code_like_a_formula(session: Session) -> None:
    world, *_ = _world(session)
    world.organiser.code = "=cmd"
    session.add(world.organiser)
    session.flush()
    header, body = export.rows(session, _admin(session, world))
    rows = list(csv.reader(io.StringIO(export.to_csv(header, body))))
    assert rows[1][0].startswith("'=CM-") and rows[1][1] == "'=CM"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_arm_comparison_csv_neutralises_text_and_keeps_negative_numbers() -> None:
    metric = disclosure.Cell(-0.25, 7, low=-1.5, high=1.0)
    metrics = dict.fromkeys(arm_report.METRICS, metric)
    row = arm_report.ArmRow("@SUM(A1)", "=1+1", "independent", 7, False, metrics, {})
    report = arm_report.Report(None, [row], [], [], 7, 7)
    lines = list(csv.reader(io.StringIO(arm_report.to_csv(report))))
    assert lines[1][:3] == ["'@SUM(A1)", "'=1+1", "independent"]
    assert lines[1][6:9] == ["-0.250", "-1.500", "1.000"]
