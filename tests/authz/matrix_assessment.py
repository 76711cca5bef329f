"""Matrix cases for self-assessments, goals and the case worker's view of them.

The assistant role acts for `client` with a mandate covering every scope (set up by the
identity module), so it gets the client's statuses; the assistant without a mandate gets 403.
"""

from __future__ import annotations

from app.models.assessment import Assessment, AssessmentStatus
from app.models.base import utcnow
from app.models.goal import Goal
from tests.authz.world import ROLES, Case, World

GOAL = {
    "what": "Käyn kaupassa itse",
    "level_0": "Kerran viikossa",
    "baseline_level": "-1",
    "target_level": "0",
}


def setup(world: World) -> None:
    client_id = world.users["client"].id
    assert client_id is not None
    draft = Assessment(client_id=client_id, instrument_key="life-situation", instrument_version=1)
    sent = Assessment(
        client_id=client_id,
        instrument_key="profile",
        instrument_version=1,
        answers={"language": "fi", "assistant": "sometimes"},
        scores={},
        status=AssessmentStatus.submitted,
        submitted_at=utcnow(),
    )
    goal = Goal(client_id=client_id, what="Ulkoilen joka päivä", levels={"0": "Joka päivä"})
    world.session.add_all([draft, sent, goal])
    world.session.flush()
    world.objects.update({"draft": draft.id, "sent": sent.id, "goal": goal.id})


def client_only(own: int, other_client: int | None = None) -> dict[str, int]:
    """A client route: the client `own`; another client `other_client` (default: same)."""
    expect = dict.fromkeys(ROLES, 403)
    expect["anonymous"] = 303
    expect["client"] = own
    expect["assistant"] = own
    expect["other_client"] = own if other_client is None else other_client
    return expect


def case_worker_only(other_case_worker: int = 404) -> dict[str, int]:
    expect = dict.fromkeys(ROLES, 403)
    expect.update(anonymous=303, case_worker=200, other_case_worker=other_case_worker)
    return expect


def cases(world: World) -> list[Case]:
    draft, sent, goal = (world.objects[k] for k in ("draft", "sent", "goal"))
    a = "/oma/arviointi"
    g = "/oma/tavoitteet"
    client_id = world.users["client"].id
    return [
        Case("GET", a, a, client_only(200)),
        Case(
            "POST", f"{a}/aloita", f"{a}/aloita", client_only(303), data={"instrument": "profile"}
        ),
        Case(
            "GET",
            f"{a}/{{assessment_id}}/osio/{{index}}",
            f"{a}/{draft}/osio/1",
            client_only(200, 403),
        ),
        Case(
            "POST",
            f"{a}/{{assessment_id}}/osio/{{index}}",
            f"{a}/{draft}/osio/1",
            client_only(303, 403),
            data={"instrument_version": "1", "a-has_children": "no", "action": "next"},
        ),
        Case(
            "GET", f"{a}/{{assessment_id}}/tarkista", f"{a}/{draft}/tarkista", client_only(200, 403)
        ),
        Case(
            "POST",
            f"{a}/{{assessment_id}}/laheta",
            f"{a}/{draft}/laheta",
            client_only(303, 403),
            data={"instrument_version": "1"},
        ),
        Case(
            "GET", f"{a}/{{assessment_id}}/tulokset", f"{a}/{sent}/tulokset", client_only(200, 403)
        ),
        Case("GET", f"{a}/{{assessment_id}}/tulosta", f"{a}/{sent}/tulosta", client_only(200, 403)),
        Case("GET", g, g, client_only(200)),
        Case("GET", f"{g}/uusi", f"{g}/uusi", client_only(200)),
        Case("POST", f"{g}/uusi", f"{g}/uusi", client_only(303), data=GOAL),
        Case("GET", f"{g}/{{goal_id}}", f"{g}/{goal}", client_only(200, 403)),
        Case(
            "POST",
            f"{g}/{{goal_id}}/kirjaus",
            f"{g}/{goal}/kirjaus",
            client_only(303, 403),
            data={"level": "0", "note": "Hyvin meni"},
        ),
        Case("GET", f"{g}/{{goal_id}}/muokkaa", f"{g}/{goal}/muokkaa", client_only(200, 403)),
        Case(
            "POST",
            f"{g}/{{goal_id}}/muokkaa",
            f"{g}/{goal}/muokkaa",
            client_only(303, 403),
            data=GOAL,
        ),
        Case(
            "POST",
            f"{g}/{{goal_id}}/tila",
            f"{g}/{goal}/tila",
            client_only(303, 403),
            data={"status": "dropped", "reason": "Muutin suunnitelmaa"},
        ),
        Case(
            "GET",
            "/tyo/asiakkaat/{client_id}/arviointi",
            f"/tyo/asiakkaat/{client_id}/arviointi",
            case_worker_only(),
        ),
        Case(
            "GET", "/tyo/arvioinnit/{assessment_id}", f"/tyo/arvioinnit/{sent}", case_worker_only()
        ),
    ]
