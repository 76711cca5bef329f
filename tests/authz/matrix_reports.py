"""Matrix cases for the yearly evaluation (client and case worker) and the admin reports.

World: the budget matrix's setup gives `client` a confirmed budget; here organiser A gets a
manual indicator, so the other organiser's admin cannot change it (404).
"""

from __future__ import annotations

from datetime import date

from app.models.report import ManualIndicator
from tests.authz.matrix_budget import only
from tests.authz.world import Case, World

TODAY = date.today().isoformat()


def setup(world: World) -> None:
    indicator = ManualIndicator(
        organiser_id=world.organiser.id,  # type: ignore[arg-type]
        block="C33",
        name="Henkilöstö",
        created_by_id=world.users["admin"].id,  # type: ignore[arg-type]
    )
    world.session.add(indicator)
    world.session.flush()
    world.objects["manual_indicator"] = indicator.id


def cases(world: World) -> list[Case]:
    client_id = world.users["client"].id
    indicator = world.objects["manual_indicator"]
    clients = {"client": 200, "other_client": 200}
    workers = {"case_worker": 200, "other_case_worker": 200}
    admins = {"admin": 200, "other_admin": 200}
    cw = "/asiakkaat/{client_id}/vuosiarviointi"
    mine = f"/asiakkaat/{client_id}/vuosiarviointi"
    reports = "/hallinto/raportit"
    return [
        Case("GET", "/oma/vuosiarviointi", "/oma/vuosiarviointi", only(clients)),
        Case(
            "POST",
            "/oma/vuosiarviointi/muuttunut",
            "/oma/vuosiarviointi/muuttunut",
            only({"client": 303, "other_client": 303}),
            data={"reason": "muuttui"},
        ),
        Case("GET", "/asiakkaat/vuosiarvioinnit", "/asiakkaat/vuosiarvioinnit", only(workers)),
        Case("GET", cw, mine, only({"case_worker": 200, "other_case_worker": 404})),
        Case(
            "POST",
            cw,
            mine,
            only({"case_worker": 303, "other_case_worker": 404}),
            data={"held_on": TODAY, "notes": "arviointi", "worker_minutes": "30"},
        ),
        Case(
            "POST",
            cw + "/aika",
            mine + "/aika",
            only({"case_worker": 303, "other_case_worker": 404}),
            data={"role": "worker", "task": "meeting", "minutes": "15", "spent_on": TODAY},
        ),
        Case(
            "POST",
            cw + "/vertailuryhma",
            mine + "/vertailuryhma",
            only({"case_worker": 303, "other_case_worker": 404}),
            data={"member": "yes"},
        ),
        Case("GET", reports, reports, only(admins)),
        Case("GET", reports + "/indikaattorit", reports + "/indikaattorit", only(admins)),
        Case("GET", reports + "/indikaattorit.csv", reports + "/indikaattorit.csv", only(admins)),
        Case("GET", reports + "/indikaattorit.xlsx", reports + "/indikaattorit.xlsx", only(admins)),
        Case(
            "POST",
            reports + "/indikaattorit/kommentti",
            reports + "/indikaattorit/kommentti",
            only({"admin": 303, "other_admin": 303}),
            data={"block": "A", "period": "2026H1", "text": "ok"},
        ),
        Case(
            "POST",
            reports + "/indikaattorit/omat",
            reports + "/indikaattorit/omat",
            only({"admin": 303, "other_admin": 303}),
            data={"block": "A", "name": "Oma", "unit": ""},
        ),
        Case(
            "POST",
            reports + "/indikaattorit/omat/{indicator_id}",
            f"{reports}/indikaattorit/omat/{indicator}",
            only({"admin": 303, "other_admin": 404}),
            data={"v-2026H1": "3"},
        ),
        Case(
            "POST",
            reports + "/indikaattorit/tavoitteet",
            reports + "/indikaattorit/tavoitteet",
            only({"admin": 303, "other_admin": 303}),  # each sets their own organiser's targets
            data={"t-B2": "21"},
        ),
        Case("GET", reports + "/vaikutukset", reports + "/vaikutukset", only(admins)),
        Case("GET", reports + "/tavoitteet", reports + "/tavoitteet", only(admins)),
        Case("GET", reports + "/kustannukset", reports + "/kustannukset", only(admins)),
        *[
            Case("GET", reports + view + fmt, reports + view + fmt, only(admins))
            for view in ("/tarve-ja-tarjonta", "/hinta-ja-vaikutus", "/talous")
            for fmt in ("", ".csv", ".xlsx")
        ],
        Case(
            "GET",
            "/tuottaja/vaikutukset",
            "/tuottaja/vaikutukset",
            only({"provider_member": 200, "other_provider_member": 200}),  # each its own
        ),
        Case(
            "POST",
            reports + "/kustannukset/viitekustannukset",
            reports + "/kustannukset/viitekustannukset",
            only({"admin": 303, "other_admin": 303}),
            data={"cost-1": "1000"},
        ),
    ]
