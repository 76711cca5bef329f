"""The experiment's arm comparison: per arm n, plan acceptability, time to confirmation,
wellbeing, goal attainment and spending, with 95 % intervals and small cells suppressed.

Only clients randomised in the experiment whose research consent is in force *now* are
counted (`scope.population`): a withdrawal removes the client from every report viewed after
it. Clients whose life-situation assessment was filled with an HB assistant's help are
reported separately.
Client experience is the mean theme score (0–10) of each client's latest yearly experience survey.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from app.i18n import format_decimal, format_percent, gettext
from app.models.actor import Actor
from app.models.assessment import Assessment, AssessmentStatus
from app.models.audit import AuditAction, AuditPurpose
from app.models.budget import Budget, FrameVersion, PlanStatus, PlanVersion
from app.models.goal import Goal
from app.models.ledger import EntryKind, LedgerEntry
from app.models.organiser import Category
from app.models.research import Allocation, Experiment
from app.repositories.budget import oldest_first
from app.services import audit, disclosure, exports, stats
from app.services.assessment import goals
from app.services.budget import frames
from app.services.disclosure import MIN_CELL, Cell  # one threshold for every report
from app.services.research import experiment as experiment_service
from app.services.research import scope

LIFE = "life-situation"
EXPERIENCE = "experience"  # the yearly client experience survey
METRICS = ("acceptability", "days", "experience", "wellbeing_change", "gas")
QUESTIONS = {"frame": ("A", "B"), "teaming": ("C", "none")}
GROUPS = ("independent", "with_help")


@dataclass
class Outcome:
    """One client's figures (pure data; built from the database or by hand in tests)."""

    client_id: int
    frame_arm: str
    teaming: bool
    with_help: bool = False
    first_confirmed: bool | None = None  # first submission confirmed (True) / returned (False)
    days_to_confirmation: int | None = None
    wellbeing_first: float | None = None
    wellbeing_latest: float | None = None
    experience: float | None = None  # the latest experience survey's mean score (0-10)
    gas_t: float | None = None
    spend_cents: dict[int, int] = field(default_factory=dict)  # category id -> cents

    @property
    def wellbeing_change(self) -> float | None:
        if self.wellbeing_first is None or self.wellbeing_latest is None:
            return None
        return self.wellbeing_latest - self.wellbeing_first

    def arm(self, question: str) -> str:
        if question == "frame":
            return self.frame_arm
        return "C" if self.teaming else "none"


@dataclass
class ArmRow:
    question: str
    arm: str
    group: str
    n: int
    suppressed: bool
    metrics: dict[str, Cell]
    spending: dict[int, Cell]  # category id -> mean cents per client


def _cell(estimate: stats.Estimate, row_suppressed: bool) -> Cell:
    """A disclosure cell; hidden with its row, and also when no client has data (n = 0)."""
    if row_suppressed or estimate.n == 0:
        return disclosure.hidden(estimate.n)
    return disclosure.estimate(estimate)


def summarise(outcomes: Iterable[Outcome], category_ids: list[int]) -> list[ArmRow]:
    """Rows per question × arm × group; a row or value from fewer than 5 clients suppressed."""
    items = list(outcomes)
    rows: list[ArmRow] = []
    for question, arms in QUESTIONS.items():
        for group in GROUPS:
            for arm in arms:
                cell = [
                    o
                    for o in items
                    if o.arm(question) == arm and o.with_help == (group == "with_help")
                ]
                decided = [o.first_confirmed for o in cell if o.first_confirmed is not None]
                values = {
                    "acceptability": stats.proportion_ci(sum(decided), len(decided)),
                    "days": stats.mean_ci(
                        [o.days_to_confirmation for o in cell if o.days_to_confirmation is not None]
                    ),
                    "experience": stats.mean_ci(
                        [o.experience for o in cell if o.experience is not None]
                    ),
                    "wellbeing_change": stats.mean_ci(
                        [o.wellbeing_change for o in cell if o.wellbeing_change is not None]
                    ),
                    "gas": stats.mean_ci([o.gas_t for o in cell if o.gas_t is not None]),
                }
                suppressed = len(cell) < MIN_CELL
                spending = {
                    cid: _cell(stats.mean_ci([o.spend_cents.get(cid, 0) for o in cell]), suppressed)
                    for cid in category_ids
                }
                metrics = {k: _cell(v, suppressed) for k, v in values.items()}
                rows.append(ArmRow(question, arm, group, len(cell), suppressed, metrics, spending))
    return rows


def _fmt(metric: str, value: float) -> str:
    if metric == "acceptability":
        return format_percent(Decimal(str(round(value, 2))))
    return format_decimal(Decimal(str(round(value, 1))))


def summary(rows: list[ArmRow]) -> list[str]:
    """Plain-words sentences comparing the two arms of each question (clients on their own)."""
    labels = {
        "acceptability": gettext("plans confirmed at the first submission"),
        "days": gettext("days from the frame to a confirmed plan"),
        "experience": gettext("client experience (0–10)"),
        "wellbeing_change": gettext("change in wellbeing"),
        "gas": gettext("goal attainment (GAS T-score)"),
    }
    names = {
        "frame": gettext("Frame question (A: total only, B: total and shares)"),
        "teaming": gettext("Teaming question (C: providers convened, or not)"),
    }
    sentences: list[str] = []
    for question, (first, second) in QUESTIONS.items():
        by_arm = {r.arm: r for r in rows if r.question == question and r.group == "independent"}
        a, b = by_arm[first], by_arm[second]
        if a.suppressed or b.suppressed:
            sentences.append(
                gettext(
                    "%(question)s: too few clients in an arm to compare yet.",
                    question=names[question],
                )
            )
            continue
        for metric in METRICS:
            ca, cb = a.metrics[metric], b.metrics[metric]
            if ca.suppressed or cb.suppressed or ca.value is None:
                continue
            assert cb.value is not None
            words = {
                "question": names[question],
                "what": labels[metric],
                "a": first,
                "va": _fmt(metric, ca.value),
                "b": _arm_name(second),
                "vb": _fmt(metric, cb.value),
            }
            if stats.overlaps(ca, cb):
                text = gettext(
                    "%(question)s – %(what)s: arm %(a)s %(va)s, arm %(b)s %(vb)s. "
                    "The 95 %% intervals overlap, so the difference may be chance.",
                    **words,
                )
            else:
                text = gettext(
                    "%(question)s – %(what)s: arm %(a)s %(va)s, arm %(b)s %(vb)s. "
                    "The 95 %% intervals do not overlap: the difference is probably real.",
                    **words,
                )
            sentences.append(text)
    return sentences


def _arm_name(arm: str) -> str:
    return gettext("not C") if arm == "none" else arm


# --- collecting the outcomes from the database ---------------------------------------------


def wellbeing(scores: dict[str, float | None] | None) -> float | None:
    """The mean of a life-situation assessment's domain scores (0–10)."""
    values = [float(v) for v in (scores or {}).values() if v is not None]
    return round(sum(values) / len(values), 2) if values else None


def _days(start: datetime, end: datetime) -> int:
    return (end.date() - start.date()).days


def collect(session: Session, allocations: list[Allocation]) -> list[Outcome]:
    by_client = {a.client_id: a for a in allocations}
    ids = list(by_client)
    if not ids:
        return []
    outcomes = {
        cid: Outcome(client_id=cid, frame_arm=a.frame_arm, teaming=a.teaming)
        for cid, a in by_client.items()
    }
    assessments = session.exec(
        select(Assessment)
        .where(
            col(Assessment.client_id).in_(ids),
            col(Assessment.instrument_key).in_([LIFE, EXPERIENCE]),
            Assessment.status == AssessmentStatus.submitted,
        )
        .order_by(col(Assessment.submitted_at), col(Assessment.id))
    ).all()
    scores: dict[int, list[float]] = defaultdict(list)
    for a in assessments:
        o = outcomes[a.client_id]
        if a.instrument_key == EXPERIENCE:
            o.experience = wellbeing(a.scores)  # the latest survey wins (ordered by time)
            continue
        o.with_help = o.with_help or a.with_assistant
        score = wellbeing(a.scores)
        if score is not None:
            scores[a.client_id].append(score)
    for cid, found in scores.items():
        # One assessment gives a level but no change.
        outcomes[cid].wellbeing_latest = found[-1]
        outcomes[cid].wellbeing_first = found[0] if len(found) > 1 else None
    budgets = session.exec(oldest_first(select(Budget).where(col(Budget.client_id).in_(ids)))).all()
    budget_client = {}
    for b in budgets:
        budget_client.setdefault(b.client_id, b.id)  # the first budget of each client
    first_budget_ids = list(budget_client.values())
    frames = {
        f.budget_id: f.created_at
        for f in session.exec(
            select(FrameVersion).where(
                col(FrameVersion.budget_id).in_(first_budget_ids), FrameVersion.version == 1
            )
        ).all()
    }
    plans: dict[int, list[PlanVersion]] = defaultdict(list)
    for p in session.exec(
        select(PlanVersion)
        .where(col(PlanVersion.budget_id).in_(first_budget_ids))
        .order_by(col(PlanVersion.number))
    ).all():
        plans[p.budget_id].append(p)
    for cid, bid in budget_client.items():
        o = outcomes[cid]
        submitted = [p for p in plans.get(bid, []) if p.submitted_at is not None]
        if submitted and submitted[0].status in (PlanStatus.confirmed, PlanStatus.returned):
            o.first_confirmed = submitted[0].status == PlanStatus.confirmed
        confirmed = [p for p in submitted if p.status == PlanStatus.confirmed and p.decided_at]
        if confirmed and bid in frames:
            o.days_to_confirmation = _days(frames[bid], confirmed[0].decided_at)  # type: ignore[arg-type]
    all_budgets = {b.id: b.client_id for b in budgets}
    for entry in session.exec(
        select(LedgerEntry).where(
            col(LedgerEntry.budget_id).in_(list(all_budgets)),
            LedgerEntry.kind == EntryKind.delivery_debit,
        )
    ).all():
        if entry.category_id is None:
            continue
        spend = outcomes[all_budgets[entry.budget_id]].spend_cents
        spend[entry.category_id] = spend.get(entry.category_id, 0) - entry.amount_cents
    client_goals = session.exec(select(Goal).where(col(Goal.client_id).in_(ids))).all()
    entries = goals.check_ins(session, [g.id for g in client_goals if g.id is not None])
    per_client: dict[int, list[Goal]] = defaultdict(list)
    for g in client_goals:
        per_client[g.client_id].append(g)
    for cid, found in per_client.items():
        outcomes[cid].gas_t = goals.t_score_for(found, entries)
    return list(outcomes.values())


@dataclass
class Report:
    experiment: Experiment | None
    rows: list[ArmRow]
    categories: list[Category]
    summary: list[str]
    enrolled: int
    counted: int


def report_population(session: Session, experiment: Experiment) -> scope.Population:
    """The experiment's randomised clients whose research consent is in force now."""
    enrolled = select(Allocation.client_id).where(Allocation.experiment_id == experiment.id)
    return scope.population(session, "experiment_report", enrolled)


def report_allocations(
    session: Session, experiment: Experiment, counted: scope.Population
) -> list[Allocation]:
    """Allocations of the clients in the report's population (consent in force now)."""
    return list(
        session.exec(
            select(Allocation).where(
                Allocation.experiment_id == experiment.id,
                col(Allocation.client_id).in_(counted.ids),
            )
        ).all()
    )


def build(session: Session, actor: Actor, fmt: str = "html") -> Report:
    organiser_id = experiment_service.admin_organiser(actor)
    experiment = experiment_service.current_experiment(session, organiser_id)
    categories = frames.categories(session, organiser_id)  # the spending columns
    audit.record(
        session,
        actor,
        AuditAction.read if fmt == "html" else AuditAction.export,
        "experiment_report",
        subject_id=None,
        purpose=AuditPurpose.report,
        details={"experiment": experiment.id if experiment else None, "format": fmt},
    )
    if experiment is None:
        return Report(None, [], categories, [], 0, 0)
    counted = report_population(session, experiment)
    allocations = report_allocations(session, experiment, counted)
    rows = summarise(collect(session, allocations), [c.id for c in categories if c.id])
    return Report(experiment, rows, categories, summary(rows), counted.total, len(allocations))


def to_rows(report: Report) -> list[list[str]]:
    """The report as CSV rows (suppressed cells are empty with suppressed=1)."""
    header = ["question", "arm", "group", "n", "measure", "n_with_data"]
    header += ["value", "ci_low", "ci_high", "suppressed"]
    rows = [header]

    def num(value: float | None) -> str:
        return "" if value is None else f"{value:.3f}"

    for r in report.rows:
        cells = [(m, r.metrics[m]) for m in METRICS]
        cells += [(f"spend_cents_{c.slug}", r.spending[c.id]) for c in report.categories if c.id]
        for measure, cell in cells:
            hidden = cell.suppressed  # a hidden cell carries no value and no interval
            rows.append(
                [
                    r.question,
                    r.arm,
                    r.group,
                    "" if r.suppressed else str(r.n),
                    measure,
                    "" if hidden else str(cell.n),
                    num(cell.value),
                    num(cell.low),
                    num(cell.high),
                    "1" if hidden else "0",
                ]
            )
    return rows


def to_csv(report: Report) -> str:
    return exports.to_csv(to_rows(report))
