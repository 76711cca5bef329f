"""Matrix cases for consent, the client's own data, the experiment and research reports.

World: the organiser of `client` runs an experiment and `client` has given research consent,
so the case worker can enrol them. The assistant acts for `client` with every scope: they
may see the consent page but never give or withdraw consent or take the data export.
"""

from __future__ import annotations

from app.models.research import ConsentEvent, Experiment
from tests.authz.world import ROLES, Case, World


def setup(world: World) -> None:
    s = world.session
    client = world.users["client"]
    s.add(
        Experiment(
            organiser_id=world.organiser.id,  # type: ignore[arg-type]
            name="Koe",
            frame_arms=["A", "B"],
            teaming_arms=["C", "none"],
            block_size=4,
            seed="matrix",
            created_by_id=world.users["admin"].id,  # type: ignore[arg-type]
        )
    )
    s.add(ConsentEvent(client_id=client.id, version=1, given=True, recorded_by_id=client.id))  # type: ignore[arg-type]
    s.flush()


def only(allowed: dict[str, int], anonymous: int = 303, others: int = 403) -> dict[str, int]:
    expect = dict.fromkeys(ROLES, others)
    expect["anonymous"] = anonymous
    expect.update(allowed)
    return expect


def cases(world: World) -> list[Case]:
    client_id = world.users["client"].id
    cw = f"/asiakkaat/{client_id}/tutkimus"
    clients = {"client": 200, "other_client": 200}
    admins = {"admin": 200, "other_admin": 200}
    design = {
        "name": "Raamikoe",
        "frame_arms": ["A", "B"],
        "teaming_arms": ["C", "none"],
        "block_size": "8",
        "is_active": "true",
    }
    return [
        Case("GET", "/tietojen-kaytto", "/tietojen-kaytto", dict.fromkeys(ROLES, 200)),
        Case("GET", "/oma/tutkimus", "/oma/tutkimus", only({**clients, "assistant": 200})),
        # Consent is personal: an assistant acting for the client is refused.
        Case(
            "POST",
            "/oma/tutkimus",
            "/oma/tutkimus",
            only({"client": 303, "other_client": 303}),
            data={"given": "no"},
        ),
        Case("GET", "/oma/tietoni", "/oma/tietoni", only(clients)),
        Case("GET", "/oma/tietoni.json", "/oma/tietoni.json", only(clients)),
        Case(
            "GET",
            "/asiakkaat/{client_id}/tutkimus",
            cw,
            only({"case_worker": 200, "other_case_worker": 404}),
        ),
        Case(
            "POST",
            "/asiakkaat/{client_id}/tutkimus/suostumus",
            f"{cw}/suostumus",
            only({"case_worker": 303, "other_case_worker": 404}),
            data={"given": "yes", "note": "paperilla"},
        ),
        Case(
            "POST",
            "/asiakkaat/{client_id}/tutkimus/satunnaista",
            f"{cw}/satunnaista",
            only({"case_worker": 303, "other_case_worker": 404}),
        ),
        Case("GET", "/hallinto/koe", "/hallinto/koe", only(admins)),
        Case(
            "POST",
            "/hallinto/koe",
            "/hallinto/koe",
            only({"admin": 303, "other_admin": 303}),
            data=design,
        ),
        Case("GET", "/hallinto/koe/vertailu", "/hallinto/koe/vertailu", only(admins)),
        Case("GET", "/hallinto/koe/vertailu.csv", "/hallinto/koe/vertailu.csv", only(admins)),
        Case(
            "GET",
            "/hallinto/koe/tutkimusaineisto.csv",
            "/hallinto/koe/tutkimusaineisto.csv",
            only(admins),
        ),
    ]
