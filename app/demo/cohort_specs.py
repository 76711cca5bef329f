"""The synthetic cohort's clients as plain specs: names, groups, arms, answers, goals, lines
and experience scores drawn from a seeded random generator (no database work)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.models.offer import Offer
from app.models.research import Experiment
from app.services.assessment import instruments, scoring
from app.services.research import randomisation

ORGANISER_CODE = "jarvimaa"
DEMO_SEED = "jarvimaa-frame-experiment-2026"
GROUPS = [
    ("disability", 30),
    ("intellectual-disability", 15),
    ("family-carer", 20),
    ("youth-aftercare", 10),
    ("adult-social-work", 10),
    ("mental-health", 15),
]
FIRST = "Aada Aino Aleksi Anna Antti Eetu Elina Emilia Hanna Heikki Ilona Jaakko Janne Jenni "
FIRST += "Johanna Kalle Katja Lauri Leena Markus Minna Niko Oona Petra Riikka Sami Tuomas Ville"
LAST = "Aalto Backman Eskola Forsman Haapala Hakala Jokinen Kallio Karjalainen Koivisto "
LAST += "Laine Lehto Manninen Miettinen Niemi Ojala Peltonen Rantanen Salo Toivonen Vainio"
WORKERS = ["Tiina Leppänen", "Olli Rautio", "Maria Sjöberg"]


@dataclass
class LineSpec:
    offer: Offer
    cost_cents: int
    delivered_cents: int  # confirmed deliveries, at most the cost


@dataclass
class ClientSpec:
    name: str
    group: str
    worker_id: int
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
    latest_scores: dict[str, float | None] | None = None
    first_answers: dict[str, Any] = field(default_factory=dict)
    latest_answers: dict[str, Any] = field(default_factory=dict)
    # The yearly client experience survey's theme scores (0-10), answered after a year.
    experience_scores: dict[str, float | None] | None = None
    goals: list[tuple[int, int]] = field(default_factory=list)  # (baseline, current level)
    lines: list[LineSpec] = field(default_factory=list)
    synthetic: bool = True


def _answers(rng: random.Random, base: float, has_children: bool) -> dict[str, Any]:
    instrument = instruments.latest("life-situation")
    assert instrument is not None
    answers: dict[str, Any] = {
        "has_children": "yes" if has_children else "no",
        "g1": str(max(0, min(10, round(base * 2 + rng.gauss(0, 1))))),
    }
    for item in instrument.items_by_id.values():
        if item.type == "rating" and item.domain:
            answers[item.id] = str(max(1, min(5, round(base + rng.gauss(0, 0.7)))))
    return answers


def generate(
    rng: random.Random,
    size: int,
    worker_ids: list[int],
    offers: list[Offer],
    experiment: Experiment,
    start_positions: dict[str, int] | None = None,
) -> list[ClientSpec]:
    instrument = instruments.latest("life-situation")
    assert instrument is not None
    first_names, last_names = FIRST.split(), LAST.split()
    arms = randomisation.combined_arms(experiment.frame_arms, experiment.teaming_arms)
    stratum_pos: dict[str, int] = dict(start_positions or {})
    groups = [g for g, _w in GROUPS]
    weights = [w for _g, w in GROUPS]
    now = datetime.now(UTC)
    specs = []
    for n in range(size):
        group = rng.choices(groups, weights)[0]
        roll = rng.random()
        consent_state = "none" if roll < 0.1 else ("withdrawn" if roll < 0.13 else "given")
        frame_arm, teaming = "A", False
        if consent_state != "none":
            pos = stratum_pos.get(group, 0)
            stratum_pos[group] = pos + 1
            arm = randomisation.allocate(experiment.seed, group, pos, arms, experiment.block_size)
            frame_arm, teaming = randomisation.split_arm(arm)
        with_help = rng.random() < 0.2
        # Plausible effects: shares (B) make plans fit first time more often and faster;
        # teaming (C) helps wellbeing and goals a little.
        p_first = 0.62 + (0.14 if frame_arm == "B" else 0) - (0.08 if with_help else 0)
        plan_roll = rng.random()
        plan = "confirmed" if plan_roll < p_first else "returned"
        if rng.random() < 0.04:
            plan = "submitted"
        days = max(5, round(rng.gauss(34 if frame_arm == "A" else 26, 9)))
        if plan == "returned":
            days += 12
        base = rng.uniform(1.8, 3.4)
        gain = rng.gauss(0.35 + (0.25 if teaming else 0), 0.45)
        has_children = group == "family-carer" and rng.random() < 0.6
        first_answers = _answers(rng, base, has_children)
        latest_answers = _answers(rng, min(5.0, base + gain), has_children)
        goals = []
        for _ in range(rng.randint(1, 3)):
            baseline = rng.choice([-2, -1, -1])
            level = max(-2, min(2, round(rng.gauss(0.1 + (0.35 if teaming else 0), 0.9))))
            goals.append((baseline, level))
        frame = rng.randrange(2_000, 12_000) * 100
        picked = rng.sample(offers, k=min(len(offers), rng.randint(1, 3)))
        lines = []
        for offer in picked:
            cost = frame // (len(picked) + 1)
            lines.append(LineSpec(offer, cost, round(cost * rng.uniform(0.4, 0.95))))
        specs.append(
            ClientSpec(
                name=f"{rng.choice(first_names)} {rng.choice(last_names)}",
                group=group,
                worker_id=worker_ids[n % len(worker_ids)],
                frame_arm=frame_arm,
                teaming=teaming,
                consent=consent_state,
                with_help=with_help,
                frame_cents=frame,
                frame_at=now - timedelta(days=rng.randint(372, 430)),
                plan=plan,
                days_to_confirmation=days,
                first_answers=first_answers,
                latest_answers=latest_answers,
                first_scores=scoring.domain_scores(instrument, first_answers),
                latest_scores=scoring.domain_scores(instrument, latest_answers),
                goals=goals,
                lines=lines,
                experience_scores=_experience(rng, teaming, frame_arm),
            )
        )
    return specs


def _experience(rng: random.Random, teaming: bool, frame_arm: str) -> dict[str, float | None]:
    """Plausible survey theme scores: a little better with teaming and with shares (arm B)."""
    lift = (0.4 if teaming else 0.0) + (0.2 if frame_arm == "B" else 0.0)
    themes = ("heard", "trust", "information", "fit", "choice", "usefulness")
    return {t: round(max(0.0, min(10.0, rng.gauss(6.8 + lift, 1.6))), 1) for t in themes}
