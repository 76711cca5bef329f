"""Matrix cases for teaming checkpoints (arm C) and the impact model.

World: the budget matrix gives `client` a confirmed plan with the `own` provider; here that
budget is in the teaming arm and its first checkpoint is scheduled, so `own` is invited.
Only the client's named worker (`case_worker`) sees and changes the checkpoints, only the
invited provider's members see and answer the invitation. Organiser A has an impact-model
item that the other organiser's admin cannot touch (404).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from app.models.budget import Budget
from app.models.impact import ImpactStep
from app.services.identity.users import load_actor
from app.services.reports import impact_model
from app.services.research import teaming
from tests.authz.world import ROLES, Case, World

TODAY = date.today().isoformat()


def only(allowed: dict[str, int], anonymous: int = 303, others: int = 403) -> dict[str, int]:
    return dict.fromkeys(ROLES, others) | {"anonymous": anonymous} | allowed


def setup(world: World) -> None:
    s = world.session
    client_id = world.users["client"].id
    budget = s.exec(select(Budget).where(Budget.client_id == client_id)).first()
    assert budget is not None
    budget.teaming = True
    s.add(budget)
    s.flush()
    worker = load_actor(s, world.users["case_worker"].id)  # type: ignore[arg-type]
    assert worker is not None
    teaming.schedule(s, worker, client_id, 1, date.today(), "")  # type: ignore[arg-type]
    member = load_actor(s, world.users["provider_member"].id)  # type: ignore[arg-type]
    assert member is not None
    world.objects["teaming_invitation"] = teaming.invitations(s, member)[0].id
    admin = load_actor(s, world.users["admin"].id)  # type: ignore[arg-type]
    assert admin is not None
    a = impact_model.add_item(s, admin, ImpactStep.outputs, {"fi": "Suunnitelmat"}, ["B1"])
    impact_model.add_item(s, admin, ImpactStep.outputs, {"fi": "Toimitukset"}, [])
    world.objects["impact_item"] = a.id


def cases(world: World) -> list[Case]:
    cid = world.users["client"].id
    invitation = world.objects["teaming_invitation"]
    item = world.objects["impact_item"]
    worker = {"case_worker": 200, "other_case_worker": 404}
    worker_post = {"case_worker": 303, "other_case_worker": 404}
    providers = {"provider_member": 200, "other_provider_member": 200}
    invited = {"provider_member": 200, "other_provider_member": 404}
    admins = {"admin": 200, "other_admin": 200}
    own_admin = {"admin": 303, "other_admin": 404}
    base = "/hallinto/raportit/vaikutusmalli"
    return [
        Case(
            "GET", "/asiakkaat/{client_id}/tiimiytys", f"/asiakkaat/{cid}/tiimiytys", only(worker)
        ),  # noqa: E501
        Case(
            "GET",
            "/asiakkaat/{client_id}/tiimiytys/{number}",
            f"/asiakkaat/{cid}/tiimiytys/1",
            only(worker),
        ),
        Case(
            "POST",
            "/asiakkaat/{client_id}/tiimiytys/{number}/ajoita",
            f"/asiakkaat/{cid}/tiimiytys/2/ajoita",
            only(worker_post),
            data={"meets_on": TODAY, "place": "Teams"},
        ),
        Case(
            "POST",
            "/asiakkaat/{client_id}/tiimiytys/{number}/pidetty",
            f"/asiakkaat/{cid}/tiimiytys/1/pidetty",
            only(worker_post),
            data={"held_on": TODAY, "minutes": "Sovittiin."},
        ),
        Case("GET", "/tuottaja/tiimiytys", "/tuottaja/tiimiytys", only(providers)),
        Case(
            "GET",
            "/tuottaja/tiimiytys/{invitation_id}",
            f"/tuottaja/tiimiytys/{invitation}",
            only(invited),
        ),
        Case(
            "POST",
            "/tuottaja/tiimiytys/{invitation_id}",
            f"/tuottaja/tiimiytys/{invitation}",
            only({"provider_member": 303, "other_provider_member": 404}),
            data={"answer": "attending"},
        ),
        Case("GET", base, base, only(admins)),
        Case(
            "POST",
            base,
            base,
            only({"admin": 303, "other_admin": 303}),
            data={"step": "impact", "text_fi": "Hyvinvointi", "codes": ["C12a"]},
        ),
        Case(
            "GET", base + "/{item_id}", f"{base}/{item}", only({"admin": 200, "other_admin": 404})
        ),  # noqa: E501
        Case(
            "POST",
            base + "/{item_id}",
            f"{base}/{item}",
            only(own_admin),
            data={"text_fi": "Vahvistetut suunnitelmat", "codes": ["B1", "A1"]},
        ),
        Case("POST", base + "/{item_id}/poista", f"{base}/{item}/poista", only(own_admin), data={}),  # noqa: E501
        Case(
            "POST",
            base + "/{item_id}/siirra",
            f"{base}/{item}/siirra",
            only(own_admin),
            data={"direction": "down"},
        ),
    ]
