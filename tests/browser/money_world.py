"""The world of the money browser tests (disputes, settlement): an organiser of its own with a
client, their case worker, an approved provider and an organiser admin, each with a persona
of its own per test and locale, and a confirmed plan line whose order the provider accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.models.user import Role
from app.services.budget import deliveries, plan
from tests.support.budget_world import TODAY, build, user

# The live server runs on today's date: deliveries are dated in the last full month.
NOVEMBER = date(2026, 11, 1)


@dataclass(frozen=True)
class MoneyWorld:
    client: str
    case_worker: str
    provider: str
    admin: str
    client_id: int
    provider_name: str
    deliveries: list[int]


def money_world(
    live_server: Any, key: str, locale: str, units: list[int], *, confirm: bool = False
) -> MoneyWorld:
    """A plan line of 6 units at 50 € and one reported delivery of each of `units` in
    November (confirmed by the client when `confirm`)."""
    with live_server.session() as s:
        world = build(s, code=f"{key}{locale}")
        personas = {}
        for role, person in (
            ("client", world.client),
            ("case_worker", world.case_worker),
            ("provider", world.provider_user),
        ):
            person.dev_persona, person.locale = f"{key}-{role}-{locale}", locale
            s.add(person)
            personas[role] = person.dev_persona
        admin = user(s, f"Aila Admin {key} {locale}", Role.admin, organiser_id=world.organiser.id)
        admin.dev_persona, admin.locale = f"{key}-admin-{locale}", locale
        s.add(admin)
        world.organiser.iban, world.organiser.bic = "FI2112345600000785", "NDEAFIHH"
        world.provider.iban, world.provider.bic = "FI5542345670000081", "OKOYFIHH"
        world.provider.name = f"Hoivapalvelu {key} {locale}"
        s.add_all([world.organiser, world.provider])
        budget = world.frame(100_000)
        client = world.actor(world.client)
        line = plan.add_line(s, client, budget, world.offer(5_000).id, 6, 1, TODAY)  # type: ignore[arg-type]
        plan.submit(s, client, budget, "")
        plan.confirm(s, world.actor(world.case_worker), budget, "ok")
        seller = world.actor(world.provider_user)
        deliveries.decide_order(s, seller, line.id, True)  # type: ignore[arg-type]
        ids = []
        for day, count in enumerate(units, start=20):
            found = deliveries.report_delivery(
                s,
                seller,
                line.id,  # type: ignore[arg-type]
                NOVEMBER.replace(day=day),
                count,
                "",
            )
            if confirm:
                deliveries.accept(s, client, budget, found.id)  # type: ignore[arg-type]
            ids.append(found.id)
        s.commit()
        return MoneyWorld(
            client=personas["client"] or "",
            case_worker=personas["case_worker"] or "",
            provider=personas["provider"] or "",
            admin=admin.dev_persona or "",
            client_id=world.client.id,  # type: ignore[arg-type]
            provider_name=world.provider.name,
            deliveries=ids,  # type: ignore[arg-type]
        )
