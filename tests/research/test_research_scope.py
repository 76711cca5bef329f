"""The consent scope is the data layer's rule, not each page's: a walk over the report and
research modules finds every one that reads client tables, and each must either take its
clients from `scope.population` or be listed here as care work (not evaluation)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.models.user import Membership
from app.services.research import consent, scope
from tests.support.budget_world import build

APP = Path(__file__).resolve().parents[2] / "app"
# Tables that hold a client's own data.
CLIENT_TABLES = {
    "Assessment", "Goal", "GoalCheckIn", "Budget", "PlanEvent", "PlanLine", "PlanVersion",
    "FrameVersion", "Delivery", "LedgerEntry", "TimeEntry", "ComparisonMember", "Membership",
    "Allocation", "ConsentEvent", "Rating", "Meeting",
}  # fmt: skip
# Modules that read client tables for the client's own care, one client at a time.
CARE = {
    "services/research/consent.py": "the consent itself",
    "services/research/scope.py": "the scope itself (reads consent events only)",
    "services/research/experiment.py": "randomising one client at enrolment",
    "services/research/evaluation.py": "one client's yearly evaluation",
    "services/research/reminders.py": "reminding a worker of a due evaluation",
    "services/research/reminder_state.py": "the stored evaluation reminders of a caseload",
    "services/research/teaming.py": "one client's teaming meetings with their providers",
    "services/research/teaming_reminders.py": "reminding a worker of a teaming meeting due",
    "services/reports/spending.py": "budget follow-up: operational (scope.OPERATIONAL)",
}
# Modules whose figures are evaluation or research: they must use scope.population.
SCOPED = {
    "services/reports/data.py",
    "services/research/arm_report.py",
    "services/research/export.py",
    "services/research/teaming_report.py",
    "services/reports/outcomes.py",
    "services/reports/provider_effects.py",
    "services/reports/need_supply.py",
    "services/reports/value_for_money.py",
}  # noqa: E501


def _imported_models(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("app.models"):
            names |= {a.name for a in node.names}
    return names


def test_every_module_reading_client_tables_is_scoped_or_care() -> None:
    found = set()
    for folder in ("services/reports", "services/research"):
        for path in sorted((APP / folder).glob("*.py")):
            rel = path.relative_to(APP).as_posix()
            if _imported_models(path) & CLIENT_TABLES:
                found.add(rel)
                if rel not in CARE:
                    assert rel in SCOPED, f"{rel} reads client data: route it through scope"
            if rel in SCOPED:
                assert "scope.population(" in path.read_text(), rel
    assert found >= SCOPED  # the list stays true (a scoped module that stopped reading moves)


def test_report_keys_are_registered() -> None:
    routes = "\n".join(p.read_text() for p in (APP / "routes").rglob("*.py"))
    loaded = set(re.findall(r"report_data\.load\(session, actor, \"([a-z_]+)\"", routes))
    assert loaded == {"indicators", "provider_effects", "goal_attainment", "costs"}
    assert loaded <= set(scope.RESEARCH_REPORTS)
    assert not set(scope.RESEARCH_REPORTS) & set(scope.OPERATIONAL)


def test_an_unregistered_report_gets_no_population(session: Session) -> None:
    with pytest.raises(scope.NotAResearchReport):
        scope.population(session, "settlement", select(Membership.user_id))


def test_in_force_follows_the_newest_event(session: Session) -> None:
    world = build(session, code="force")
    client = world.actor(world.client)
    cid = world.client.id
    everyone = select(Membership.user_id)
    before = scope.population(session, "research_export", everyone)
    assert before.n == 0 and before.total >= 3
    consent.set_own(session, client, True)
    given = scope.population(session, "research_export", everyone)
    assert given.n == 1 and session.exec(given.ids).all() == [cid]
    consent.set_own(session, client, False)
    assert scope.population(session, "research_export", everyone).n == 0
    first = consent.history(session, cid)[-1].occurred_at  # type: ignore[arg-type]
    # As it stood at the first event, consent was in force.
    assert session.exec(scope.in_force(first)).all() == [cid]


def test_privacy_page_lists_research_and_operational_uses(client) -> None:  # noqa: ANN001
    text = client.get("/tietosuoja").text  # Finnish by default
    assert 'id="research"' in text
    assert "kokeilun ryhmien vertailu" in text  # research: the arm comparison
    assert "tilitys ja maksut palveluntuottajille" in text  # operational: the settlement
