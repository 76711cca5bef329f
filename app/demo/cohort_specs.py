"""The synthetic cohort's clients as plain specs, drawn from a seeded random generator (no
database work): names, groups, home municipalities, consent and experiment arms, plan
outcomes, a year of self-assessments, goals, plan lines with deliveries spread over the
budget period (a few disputed), time entries and the yearly experience survey. A share of
the cohort can be a comparison group: clients without a budget who answer the same surveys.

Everything is timed from the client's frame (for a comparison client: the start of the
follow-up); whatever would fall in the future is left out, so recent clients have less.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from app.models.offer import Offer
from app.models.report import TimeRole, TimeTask
from app.models.research import Experiment
from app.services.assessment import instruments, scoring
from app.services.assessment.instruments import Instrument
from app.services.research import randomisation

ORGANISER_CODE = "jarvimaa"
DEMO_SEED = "jarvimaa-frame-experiment-2026"
# Cohort clients' addresses end so (reserved top-level domain: nothing is ever sent).
MARKER = "@synthetic.hebu.invalid"
# client group, weight, mean yearly wellbeing gain on the 1-5 answer scale
GROUPS = [
    ("disability", 30, 0.3),
    ("intellectual-disability", 15, 0.2),
    ("family-carer", 20, 0.15),
    ("youth-aftercare", 10, 0.35),
    ("adult-social-work", 10, 0.25),
    ("mental-health", 15, 0.45),
]
MUNICIPALITIES = ["179", "182", "249", "410", "992"]
FIRST = "Aada Aino Aleksi Anna Antti Eetu Elina Emilia Hanna Heikki Ilona Jaakko Janne Jenni "
FIRST += "Johanna Kalle Katja Lauri Leena Markus Minna Niko Oona Petra Riikka Sami Tuomas Ville"
LAST = "Aalto Backman Eskola Forsman Haapala Hakala Jokinen Kallio Karjalainen Koivisto "
LAST += "Laine Lehto Manninen Miettinen Niemi Ojala Peltonen Rantanen Salo Toivonen Vainio"
WORKERS = ["Tiina Leppänen", "Olli Rautio", "Maria Sjöberg"]
# Days from the frame: the life-situation assessments, the survey and the goal check-ins.
FIRST_DAY, MIDWAY_DAY, LATEST_DAY, SURVEY_DAY = -10, 180, 355, 356
WITHDRAWAL_DAY = 200  # when the few who withdraw their research consent do so
CHECK_IN_DAYS = (100, 200, 300)
EXPERIENCE_THEMES = ("heard", "trust", "information", "fit", "choice", "usefulness", "overall")


@dataclass
class DeliverySpec:
    after_days: int  # days after the plan's confirmation
    cents: int
    disputed: bool = False


@dataclass
class LineSpec:
    offer: Offer
    cost_cents: int
    delivered_cents: int = 0  # confirmed in one delivery two months after the confirmation
    deliveries: list[DeliverySpec] = field(default_factory=list)  # or these, spread in time

    def schedule(self) -> list[DeliverySpec]:
        if self.deliveries:
            return self.deliveries
        return [DeliverySpec(60, self.delivered_cents)] if self.delivered_cents > 0 else []


class TimeSpec(NamedTuple):
    role: TimeRole
    task: TimeTask
    minutes: int
    after_days: int  # days after the frame


@dataclass
class ClientSpec:
    name: str
    group: str
    worker_id: int
    email: str | None = None
    municipality: str | None = None
    comparison: bool = False  # a comparison group member: no budget, the same surveys
    frame_arm: str = "A"
    teaming: bool = False
    enrol: bool = True  # randomised (needs consent)
    consent: str = "given"  # "given" | "withdrawn" | "none"
    with_help: bool = False
    frame_cents: int = 500_000
    frame_at: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(days=380))
    # "confirmed" at first submission, "returned" first then confirmed, "submitted", "draft"
    plan: str = "confirmed"
    days_to_confirmation: int = 30
    first_scores: dict[str, float | None] | None = None
    midway_scores: dict[str, float | None] | None = None
    latest_scores: dict[str, float | None] | None = None
    first_answers: dict[str, Any] = field(default_factory=dict)
    midway_answers: dict[str, Any] = field(default_factory=dict)
    latest_answers: dict[str, Any] = field(default_factory=dict)
    # The yearly client experience survey's theme scores (0-10), answered after a year.
    experience_scores: dict[str, float | None] | None = None
    goals: list[tuple[int, int]] = field(default_factory=list)  # (baseline, current level)
    # Check-ins move each goal from its baseline to its current level in equal steps.
    check_in_days: tuple[int, ...] = (300,)
    lines: list[LineSpec] = field(default_factory=list)
    time: list[TimeSpec] = field(default_factory=list)
    synthetic: bool = True


@dataclass
class _Draw:
    """What drawing the specs needs besides the generator: the experiment's allocation
    positions (advanced as clients are randomised), the instrument and the time now."""

    rng: random.Random
    experiment: Experiment
    positions: dict[str, int]
    instrument: Instrument
    now: datetime

    def happened(self, spec: ClientSpec, day: int) -> bool:
        return spec.frame_at + timedelta(days=day) <= self.now


def generate(
    rng: random.Random,
    size: int,
    worker_ids: list[int],
    offers: list[Offer],
    experiment: Experiment,
    start_positions: dict[str, int] | None = None,
    comparison: int = 0,
    first_number: int = 1,
) -> list[ClientSpec]:
    """`size` budget clients and `comparison` comparison clients, numbered from
    `first_number` in their e-mail addresses."""
    instrument = instruments.latest("life-situation")
    assert instrument is not None
    draw = _Draw(rng, experiment, dict(start_positions or {}), instrument, datetime.now(UTC))
    specs = [_budget_client(draw, n, worker_ids, offers) for n in range(size)]
    specs += [_comparison_client(draw, size + n, worker_ids) for n in range(comparison)]
    for number, spec in enumerate(specs, first_number):
        spec.email = f"client{number:04d}{MARKER}"
    return specs


def _person(d: _Draw, n: int, worker_ids: list[int]) -> ClientSpec:
    first_names, last_names = FIRST.split(), LAST.split()
    group = d.rng.choices([g for g, _w, _x in GROUPS], [w for _g, w, _x in GROUPS])[0]
    # Started in the last two years: about half have a full year of follow-up.
    days_ago = d.rng.randint(60, 690)
    return ClientSpec(
        name=f"{d.rng.choice(first_names)} {d.rng.choice(last_names)}",
        group=group,
        worker_id=worker_ids[n % len(worker_ids)],
        municipality=d.rng.choice(MUNICIPALITIES),
        frame_at=d.now - timedelta(days=days_ago),
        with_help=d.rng.random() < 0.2,
    )


def _budget_client(d: _Draw, n: int, worker_ids: list[int], offers: list[Offer]) -> ClientSpec:
    spec = _person(d, n, worker_ids)
    _consent_and_arm(d, spec)
    _plan_outcome(d, spec)
    gain = dict((g, x) for g, _w, x in GROUPS)[spec.group] + (0.25 if spec.teaming else 0)
    _wellbeing(d, spec, d.rng.gauss(gain, 0.45))
    _goals(d, spec)
    spec.frame_cents = d.rng.randrange(2_000, 12_000) * 100
    spec.lines = _lines(d, spec, offers)
    spec.time = _time(d.rng)
    if d.happened(spec, SURVEY_DAY):
        lift = (0.4 if spec.teaming else 0.0) + (0.2 if spec.frame_arm == "B" else 0.0)
        spec.experience_scores = _experience(d.rng, 6.8 + lift)
    return spec


def _comparison_client(d: _Draw, n: int, worker_ids: list[int]) -> ClientSpec:
    spec = _person(d, n, worker_ids)
    # A comparison client takes part only in the evaluation, so only with research consent
    # (the reports count no one without it); not randomised.
    spec.comparison, spec.enrol, spec.consent = True, False, "given"
    _wellbeing(d, spec, d.rng.gauss(0.1, 0.45))
    if d.happened(spec, SURVEY_DAY):
        spec.experience_scores = _experience(d.rng, 6.0)
        spec.experience_scores["usefulness"] = None  # no services to judge
    return spec


def _consent_and_arm(d: _Draw, spec: ClientSpec) -> None:
    """Most consent (a few withdraw later); consenting clients are randomised in turn."""
    roll = d.rng.random()
    spec.consent = "none" if roll < 0.1 else ("withdrawn" if roll < 0.13 else "given")
    if spec.consent == "withdrawn" and not d.happened(spec, WITHDRAWAL_DAY):
        spec.consent = "given"
    if spec.consent == "none":
        return
    position = d.positions.get(spec.group, 0)
    d.positions[spec.group] = position + 1
    e = d.experiment
    arms = randomisation.combined_arms(e.frame_arms, e.teaming_arms)
    arm = randomisation.allocate(e.seed, spec.group, position, arms, e.block_size)
    spec.frame_arm, spec.teaming = randomisation.split_arm(arm)


def _plan_outcome(d: _Draw, spec: ClientSpec) -> None:
    """Plausible effects: shares (B) make plans fit first time more often and faster."""
    p_first = 0.62 + (0.14 if spec.frame_arm == "B" else 0) - (0.08 if spec.with_help else 0)
    spec.plan = "confirmed" if d.rng.random() < p_first else "returned"
    if d.rng.random() < 0.04:
        spec.plan = "submitted"
    days = max(5, round(d.rng.gauss(34 if spec.frame_arm == "A" else 26, 9)))
    spec.days_to_confirmation = days + (12 if spec.plan == "returned" else 0)
    if not d.happened(spec, spec.days_to_confirmation):
        spec.plan = "submitted"  # still waiting for the case worker


def _wellbeing(d: _Draw, spec: ClientSpec, gain: float) -> None:
    """The life-situation assessment at the start, after half a year and after a year."""
    base = d.rng.uniform(1.8, 3.4)
    has_children = spec.group == "family-carer" and d.rng.random() < 0.6
    spec.first_answers = _answers(d, base, has_children)
    spec.first_scores = scoring.domain_scores(d.instrument, spec.first_answers)
    if d.happened(spec, MIDWAY_DAY):
        spec.midway_answers = _answers(d, min(5.0, base + gain / 2), has_children)
        spec.midway_scores = scoring.domain_scores(d.instrument, spec.midway_answers)
    if d.happened(spec, LATEST_DAY):
        spec.latest_answers = _answers(d, min(5.0, base + gain), has_children)
        spec.latest_scores = scoring.domain_scores(d.instrument, spec.latest_answers)


def _answers(d: _Draw, base: float, has_children: bool) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "has_children": "yes" if has_children else "no",
        "g1": str(max(0, min(10, round(base * 2 + d.rng.gauss(0, 1))))),
    }
    for item in d.instrument.items_by_id.values():
        if item.type == "rating" and item.domain:
            answers[item.id] = str(max(1, min(5, round(base + d.rng.gauss(0, 0.7)))))
    return answers


def _goals(d: _Draw, spec: ClientSpec) -> None:
    """One to three goals; teaming (C) helps a little."""
    spec.check_in_days = tuple(day for day in CHECK_IN_DAYS if d.happened(spec, day))
    for _ in range(d.rng.randint(1, 3)):
        baseline = d.rng.choice([-2, -1, -1])
        level = round(d.rng.gauss(0.1 + (0.35 if spec.teaming else 0), 0.9))
        spec.goals.append((baseline, max(-2, min(2, level))))


def _lines(d: _Draw, spec: ClientSpec, offers: list[Offer]) -> list[LineSpec]:
    picked = d.rng.sample(offers, k=min(len(offers), d.rng.randint(1, 3)))
    cost = spec.frame_cents // (len(picked) + 1)
    return [LineSpec(offer, cost, deliveries=_deliveries(d, spec, cost)) for offer in picked]


def _deliveries(d: _Draw, spec: ClientSpec, cost: int) -> list[DeliverySpec]:
    """Up to four deliveries from two weeks after the confirmation to the period's end."""
    if spec.plan not in ("confirmed", "returned"):
        return []
    confirmed = spec.frame_at + timedelta(days=spec.days_to_confirmation)
    window = (min(d.now, spec.frame_at + timedelta(days=364)) - confirmed).days
    visits = max(1, min(4, window // 80))
    share = round(cost * d.rng.uniform(0.4, 0.95)) // visits
    found, day = [], 14
    while len(found) < visits and day <= window:
        found.append(DeliverySpec(day, share, disputed=d.rng.random() < 0.05))
        day += d.rng.randrange(60, 100)
    return found


def _time(rng: random.Random) -> list[TimeSpec]:
    """The planning work: the case worker's, the client's and the assistant's minutes."""
    return [
        TimeSpec(TimeRole.worker, TimeTask.planning, rng.randrange(40, 120), rng.randrange(60)),
        TimeSpec(TimeRole.worker, TimeTask.meeting, rng.randrange(30, 90), rng.randrange(60)),
        TimeSpec(TimeRole.client, TimeTask.meeting, rng.randrange(30, 90), rng.randrange(60)),
        TimeSpec(TimeRole.assistant, TimeTask.planning, rng.randrange(20, 90), rng.randrange(60)),
    ]


def _experience(rng: random.Random, mean: float) -> dict[str, float | None]:
    """Plausible survey theme scores (0-10) around the given mean."""
    return {t: round(max(0.0, min(10.0, rng.gauss(mean, 1.6))), 1) for t in EXPERIENCE_THEMES}
