"""Demo self-assessments and goals: a baseline and a follow-up for the demo clients."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from app.models.assessment import Assessment, AssessmentStatus
from app.models.base import utcnow
from app.models.goal import Goal, GoalCheckIn
from app.models.user import User
from app.services.assessment import instruments, scoring

# persona -> has children, (baseline, follow-up) rating 1-5 per domain, 0-10 overall
LIFE: dict[str, tuple[str, dict[str, tuple[int, int]], tuple[int, int]]] = {
    "client": (
        "no",
        {
            "participation": (2, 3),
            "mental": (3, 4),
            "everyday": (2, 3),
            "skills": (4, 4),
            "physical": (2, 2),
            "future": (2, 4),
        },
        (4, 6),
    ),
    "client-sv": (
        "yes",
        {
            "participation": (2, 2),
            "mental": (2, 3),
            "everyday": (3, 4),
            "skills": (4, 5),
            "physical": (4, 4),
            "future": (3, 3),
            "parenthood": (3, 4),
        },
        (5, 6),
    ),
}
NEEDS = {
    "client": {"n_home": "some", "n_personal": "much", "n_transport": "much", "n_leisure": "some"},
    "client-sv": {"n_respite": "much", "n_peer": "some", "n_home": "some"},
}
PROFILE = {
    "client": {
        "channels": ["digital", "phone"],
        "language": "fi",
        "assistant": "sometimes",
        "interpreter": "none",
        "accessibility": ["wheelchair", "plain"],
        "best_times": ["morning"],
    },
    "client-sv": {
        "channels": ["phone", "in_person"],
        "language": "sv",
        "assistant": "no",
        "interpreter": "none",
        "accessibility": [],
        "best_times": ["evening"],
    },
}
GOALS: dict[str, list[dict[str, Any]]] = {
    "client": [
        {
            "what": "Käyn kaupassa itse kerran viikossa",
            "why": "Haluan päättää itse, mitä syön.",
            "steps": "Teen kauppalistan. Harjoittelen matkan avustajan kanssa.",
            "evidence": "Olen käynyt kaupassa itse neljänä viikkona peräkkäin.",
            "levels": {
                "-2": "En käy kaupassa",
                "-1": "Käyn avustajan kanssa",
                "0": "Käyn itse kerran viikossa",
                "1": "Käyn itse kahdesti viikossa",
                "2": "Käyn myös muissa kaupoissa",
            },
            "baseline": -1,
            "check_ins": [(-1, "Kävin avustajan kanssa."), (0, "Kävin yksin!")],
        },
        {
            "what": "Tapaan ystäviä joka viikko",
            "why": "Olen ollut paljon yksin.",
            "steps": "Menen kerhoon tiistaisin.",
            "evidence": "Kalenterissa on joka viikko tapaaminen.",
            "levels": {
                "-2": "En tapaa ketään",
                "-1": "Tapaan kerran kuussa",
                "0": "Tapaan joka viikko",
                "1": "Tapaan kahdesti viikossa",
                "2": "Järjestän itse tapaamisen",
            },
            "baseline": -2,
            "check_ins": [(-1, "Kävin kerhossa kerran.")],
        },
    ],
    "client-sv": [
        {
            "what": "Jag får en ledig helg varje månad",
            "why": "Jag orkar bättre när jag får vila.",
            "steps": "Jag bokar avlösning i förväg.",
            "evidence": "Jag har haft en ledig helg tre månader i rad.",
            "levels": {
                "-2": "Ingen ledighet",
                "-1": "Ledig några timmar",
                "0": "En ledig helg i månaden",
                "1": "Två lediga helger",
                "2": "Regelbunden ledighet och semester",
            },
            "baseline": -2,
            "check_ins": [(-1, "Ledig en lördag."), (0, "En hel helg ledig.")],
        },
    ],
}


def _life_answers(persona: str, which: int) -> dict[str, Any]:
    children, domains, overall = LIFE[persona]
    instrument = instruments.latest("life-situation")
    assert instrument is not None
    answers: dict[str, Any] = {"has_children": children, "g1": str(overall[which])}
    for item in instrument.items_by_id.values():
        if item.type == "rating" and item.domain:
            value = domains.get(item.domain, (3, 3))[which]
            shift = 1 if item.id.endswith("2") and value < 5 else 0
            answers[item.id] = str(value + shift)
    return answers


def _assessment(
    session: Session, client: User, key: str, answers: dict[str, Any], days_ago: int
) -> None:
    instrument = instruments.latest(key)
    assert instrument is not None and client.id is not None
    when = utcnow() - timedelta(days=days_ago)
    session.add(
        Assessment(
            client_id=client.id,
            instrument_key=key,
            instrument_version=instrument.version,
            status=AssessmentStatus.submitted,
            answers=answers,
            scores=scoring.domain_scores(instrument, answers),
            submitted_at=when,
            created_at=when,
            updated_at=when,
            last_edited_by_id=client.id,
        )
    )


def load_assessments(session: Session) -> None:
    for persona in LIFE:
        client = session.exec(select(User).where(User.dev_persona == persona)).first()
        if client is None or client.id is None:
            continue
        exists = session.exec(select(Assessment).where(Assessment.client_id == client.id)).first()
        if exists is not None:
            continue
        _assessment(session, client, "life-situation", _life_answers(persona, 0), 180)
        _assessment(session, client, "service-needs", NEEDS[persona], 180)
        _assessment(session, client, "profile", PROFILE[persona], 180)
        _assessment(session, client, "life-situation", _life_answers(persona, 1), 7)
        for spec in GOALS[persona]:
            start = utcnow() - timedelta(days=170)
            goal = Goal(
                client_id=client.id,
                what=spec["what"],
                why=spec["why"],
                steps=spec["steps"],
                evidence=spec["evidence"],
                levels=spec["levels"],
                baseline_level=spec["baseline"],
                target_level=0,
                created_by_id=client.id,
                created_at=start,
            )
            session.add(goal)
            session.flush()
            for n, (level, note) in enumerate(spec["check_ins"], start=1):
                session.add(
                    GoalCheckIn(
                        goal_id=goal.id,  # type: ignore[arg-type]
                        level=level,
                        note=note,
                        recorded_at=start + timedelta(days=60 * n),
                        recorded_by_id=client.id,
                    )
                )
    session.flush()
