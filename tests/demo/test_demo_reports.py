"""The demo's one synthetic cohort gives the organiser's reports and the experiment's arm
comparison figures, not only cells hidden under the five-client rule."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.support.web import login_as


def _figure(value: str) -> bool:
    try:
        return float(value) != 0
    except ValueError:  # "<5" (suppressed) or empty
        return False


def test_every_indicator_has_a_figure_in_some_half_year(client: TestClient, demo: None) -> None:
    login_as(client, "admin")
    text = client.get("/hallinto/raportit/indikaattorit.csv").text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    indicators = [row for row in rows[1:] if row[1]]
    assert len(indicators) > 10
    blank = [row[1] for row in indicators if not any(_figure(v) for v in row[4:])]
    assert blank == []


def test_the_arm_comparison_has_no_suppressed_arm(client: TestClient, demo: None) -> None:
    login_as(client, "admin")
    text = client.get("/hallinto/koe/vertailu.csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    independent = [r for r in rows if r["group"] == "independent"]
    assert {r["arm"] for r in independent} == {"A", "B", "C", "none"}
    assert [r for r in independent if r["suppressed"] != "0"] == []
    experience = [r for r in independent if r["measure"] == "experience"]
    assert all(int(r["n_with_data"]) >= 5 for r in experience)


def test_provider_effects_and_goal_bands_show_figures(client: TestClient, demo: None) -> None:
    login_as(client, "admin")
    effects = client.get("/hallinto/raportit/vaikutukset").text
    assert effects.count("n = ") >= 8  # figures with their n for several providers
    goals = client.get("/hallinto/raportit/tavoitteet").text
    assert "Odotetusti tai paremmin (50–59)" in goals and " %" in goals
