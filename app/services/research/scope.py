"""The one scope of evaluation and research data: clients whose research consent is in force.

Every report, export and comparison that uses client data for evaluation or research asks
`population` for its clients and filters its queries on `Population.ids`, a SQL select that the
report's own queries join against (never a Python set filtered per report). A client's consent
is in force when their newest consent event, at the moment of the report, gives it: a
withdrawal takes the client out of every figure computed after it, and giving consent again
brings them back. The reports are registered here by the key they audit-log under; a report
not in `RESEARCH_REPORTS` cannot get a population. Purely operational figures (settlement, the
follow-up of each budget) are not research and are listed in `OPERATIONAL` for the privacy page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.i18n import lazy_gettext
from app.models.research import ConsentEvent

# key (the audit record type of the view) -> what the privacy page calls it
RESEARCH_REPORTS: dict[str, object] = {
    "experiment_report": lazy_gettext("the experiment's arm comparison"),
    "research_export": lazy_gettext("the pseudonymous research data set"),
    "indicators": lazy_gettext("the indicator report"),
    "provider_effects": lazy_gettext("the evidence on the effects of providers and services"),
    "goal_attainment": lazy_gettext("group-level goal attainment"),
    "costs": lazy_gettext("costs, time use and ROSI"),
    "provider_own_effects": lazy_gettext("each provider's own effect evidence"),
    "need_vs_supply": lazy_gettext("assessed needs against the approved supply"),
    "value_for_money": lazy_gettext("price against effect by service category"),
}
OPERATIONAL: dict[str, object] = {
    "settlement": lazy_gettext("the settlement and payments to providers"),
    "budget_follow_up": lazy_gettext("the follow-up of each client's budget and balance"),
    "ratings": lazy_gettext("public ratings of services (shown only from five raters)"),
    "budget_spending": lazy_gettext(
        "budget sums and realised spending by category, client group and arm"
    ),
}


class NotAResearchReport(LookupError):
    """A report asked for research data without being registered in RESEARCH_REPORTS."""


def in_force(at: datetime | None = None) -> Any:
    """SELECT client_id of the clients whose newest consent event up to `at` (default: now,
    every event) is a given consent."""
    newest = select(ConsentEvent.client_id, func.max(ConsentEvent.version).label("version"))
    if at is not None:
        newest = newest.where(col(ConsentEvent.occurred_at) <= at)
    latest = newest.group_by(col(ConsentEvent.client_id)).subquery()
    return (
        select(ConsentEvent.client_id)
        .join(
            latest,
            (col(ConsentEvent.client_id) == latest.c.client_id)
            & (col(ConsentEvent.version) == latest.c.version),
        )
        .where(col(ConsentEvent.given))
    )


@dataclass(frozen=True)
class Population:
    """The clients a research report may count: `ids` (a select of client ids to filter
    on), `n` of them, of `total` eligible clients (N)."""

    report: str
    ids: Any
    n: int
    total: int


def population(
    session: Session, report: str, eligible: Any, at: datetime | None = None
) -> Population:
    """The consenting part of `eligible` (a select of one column: client ids) for `report`."""
    if report not in RESEARCH_REPORTS:
        raise NotAResearchReport(report)
    pool = eligible.distinct().subquery()
    client_id = next(iter(pool.c))
    ids = select(client_id).where(client_id.in_(in_force(at)))
    total = session.exec(select(func.count()).select_from(pool)).one()
    n = session.exec(select(func.count()).select_from(ids.subquery())).one()
    return Population(report, ids, int(n), int(total))
