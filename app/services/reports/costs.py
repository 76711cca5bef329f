"""Costs and ROSI: time used per client by role, budget spending, and the return on social
intervention, ROSI = (cost savings - intervention costs) / intervention costs (seed 004).

Money is integer cents; ROSI is a Decimal. Reference costs are editable per organiser and of
three kinds (by key, `kind`): a yearly cost of a costly outcome the services may prevent (the
savings side: care, institution, prison, a marginalised young person), the self-assessment
tool's cost per client and year (a cost of the intervention, seed 000: 30 €), and the hourly
cost of the time a worker, the client or an HB assistant spends (seed 003 appendices 3.1-3.3).
The outcome and tool defaults are the figures quoted in the seeds (see DOMAIN.md); the hourly
defaults are examples to replace with the organiser's own. `rosi.py` computes the figure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, col, select

from app.errors import AppError, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.report import ReferenceCost, TimeRole
from app.repositories.reports import report_organiser_ids
from app.services.disclosure import Cell, cell, count
from app.services.reports.data import CONFIRMED_DELIVERY, Snapshot, log_change

SAVING, TOOL, HOURLY = "saving", "tool", "hourly"
TOOL_KEY = "self-assessment-tool"
HOURLY_KEYS = {
    TimeRole.worker: "hour-worker",
    TimeRole.client: "hour-client",
    TimeRole.assistant: "hour-assistant",
}


def kind(key: str) -> str:
    """What a reference cost is: a yearly outcome cost (saving), the tool, or an hourly rate."""
    if key == TOOL_KEY:
        return TOOL
    return HOURLY if key in HOURLY_KEYS.values() else SAVING


# key, label (fi, sv, en), euros: per client per year (outcomes, the tool) or per hour
DEFAULT_REFERENCE_COSTS: tuple[tuple[str, dict[str, str], int], ...] = (
    (
        "child-in-care",
        {
            "fi": "Lapsen huostaanotto",
            "sv": "Ett omhändertaget barn",
            "en": "A child taken into care",
        },
        130_000,
    ),
    (
        "substance-institution",
        {
            "fi": "Päihdehuollon laitoshoito",
            "sv": "Institutionsvård inom missbrukarvården",
            "en": "Institutional substance-abuse care",
        },
        61_000,
    ),
    ("prison", {"fi": "Vankila", "sv": "Fängelse", "en": "Prison"}, 78_000),
    (
        "marginalised-youth",
        {
            "fi": "Syrjäytynyt nuori",
            "sv": "En marginaliserad ung person",
            "en": "A marginalised young person",
        },
        20_000,
    ),
    (
        "self-assessment-tool",
        {
            "fi": "Itsearviointityökalu (asiakasta kohden)",
            "sv": "Självbedömningsverktyg (per klient)",
            "en": "Self-assessment tool (per client)",
        },
        30,
    ),
    (
        "hour-worker",
        {
            "fi": "Työntekijän työtunti",
            "sv": "Arbetstagarens arbetstimme",
            "en": "An hour of the worker's time",
        },
        45,
    ),
    (
        "hour-assistant",
        {
            "fi": "HB-avustajan tunti",
            "sv": "En timme av HB-assistentens tid",
            "en": "An hour of the HB assistant's time",
        },
        20,
    ),
    (
        "hour-client",
        {
            "fi": "Asiakkaan oma tunti",
            "sv": "En timme av klientens egen tid",
            "en": "An hour of the client's own time",
        },
        0,
    ),
)


class NoCosts(AppError):
    status_code = 422

    default_text = lazy_gettext("ROSI needs intervention costs above zero.")


def rosi(savings_cents: int, intervention_cents: int) -> Decimal:
    """(savings - costs) / costs, to two decimals (1.60 means 1.60 € back per euro spent)."""
    if intervention_cents <= 0:
        raise NoCosts()
    ratio = Decimal(savings_cents - intervention_cents) / Decimal(intervention_cents)
    return ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def savings(costs: list[ReferenceCost], avoided: dict[str, Decimal]) -> int:
    """Σ client-years avoided × yearly cost of the outcome, in cents (rounded half up). Only
    outcome costs are savings: the tool and the hours are costs of the intervention."""
    total = Decimal(0)
    for cost in costs:
        if kind(cost.key) == SAVING:
            total += avoided.get(cost.key, Decimal(0)) * cost.yearly_cents
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def reference_costs(session: Session, actor: Actor) -> list[ReferenceCost]:
    """The organiser's reference costs; a default missing is stored on first use."""
    organisers = sorted(report_organiser_ids(actor))
    if not organisers:
        raise NotFound()
    organiser_id = organisers[0]
    rows = list(
        session.exec(
            select(ReferenceCost)
            .where(ReferenceCost.organiser_id == organiser_id)
            .order_by(col(ReferenceCost.position), col(ReferenceCost.id))
        ).all()
    )
    have = {r.key for r in rows}
    if have >= {key for key, _label, _euros in DEFAULT_REFERENCE_COSTS}:
        return rows
    for position, (key, label, euros) in enumerate(DEFAULT_REFERENCE_COSTS):
        if key in have:
            continue
        row = ReferenceCost(
            organiser_id=organiser_id,
            key=key,
            label=label,
            yearly_cents=euros * 100,
            position=position,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return sorted(rows, key=lambda r: (r.position, r.id or 0))


def update_reference_costs(session: Session, actor: Actor, values: dict[int, int]) -> None:
    rows = {r.id: r for r in reference_costs(session, actor)}
    changed = {}
    for cost_id, cents in values.items():
        row = rows.get(cost_id)
        if row is None or cents < 0:
            continue
        if row.yearly_cents != cents:
            changed[row.key] = cents
            row.yearly_cents = cents
            session.add(row)
    session.flush()
    log_change(session, actor, "reference_cost", details={"changed": changed})


@dataclass(frozen=True)
class TimeUse:
    role: TimeRole
    clients: Cell  # clients with time recorded for this role
    total_minutes: Cell
    per_client: Cell  # minutes per client


@dataclass(frozen=True)
class CostSummary:
    start: date
    end: date  # exclusive
    time: list[TimeUse]
    spend_cents: Cell
    clients_served: Cell
    per_client_cents: Cell


def summary(snap: Snapshot, start: date, end: date) -> CostSummary:
    minutes: dict[TimeRole, dict[int, int]] = {r: defaultdict(int) for r in TimeRole}
    for t in snap.time:
        if start <= t.spent_on < end:
            minutes[TimeRole(t.role)][t.client_id] += t.minutes
    time = []
    for role in TimeRole:
        per = minutes[role]
        n = len(per)
        total = sum(per.values())
        time.append(
            TimeUse(
                role=role,
                clients=count(n),
                total_minutes=cell(total, n),
                per_client=cell(round(total / n) if n else None, n),
            )
        )
    spent: dict[int, int] = defaultdict(int)
    for d in snap.deliveries:
        if d.status in CONFIRMED_DELIVERY and start <= d.delivered_on < end:
            spent[d.client_id] += d.budget_cents
    n = len(spent)
    total_cents = sum(spent.values())
    return CostSummary(
        start=start,
        end=end,
        time=time,
        spend_cents=cell(total_cents, n),
        clients_served=count(n),
        per_client_cents=cell(total_cents // n if n else None, n),
    )
