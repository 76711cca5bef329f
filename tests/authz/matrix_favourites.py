"""Matrix cases for favourites (the client's shortlist).

World: `client` has one favourite (the catalogue module's `offer_own`). The assistant acts for
`client` with every mandate scope (the identity module's setup), so it gets the client's
statuses; `other_client` has a shortlist of their own but cannot remove `client`'s favourite.
"""

from __future__ import annotations

from datetime import date

from app.services.catalogue import favourites
from app.services.identity.users import load_actor
from tests.authz.world import ROLES, Case, World


def only(allowed: dict[str, int], default: int = 403) -> dict[str, int]:
    return dict.fromkeys(ROLES, default) | {"anonymous": 303} | allowed


def setup(world: World) -> None:
    actor = load_actor(world.session, world.users["client"].id)  # type: ignore[arg-type]
    assert actor is not None
    favourite = favourites.add(world.session, actor, world.objects["offer_own"], date.today())
    world.objects["favourite"] = favourite.id


def cases(world: World) -> list[Case]:
    offer = world.objects["offer_own"]
    favourite = world.objects["favourite"]
    client_side = {"client": 200, "other_client": 200, "assistant": 200}
    posted = {"client": 303, "other_client": 303, "assistant": 303}
    return [
        Case("GET", "/oma/suosikit", "/oma/suosikit", only(client_side)),
        Case(
            "POST",
            "/oma/suosikit/palvelu/{offer_id}",
            f"/oma/suosikit/palvelu/{offer}",
            only(posted),
            data={"next": "/oma/suosikit"},
        ),
        Case(
            "POST",
            "/oma/suosikit/{favourite_id}/poista",
            f"/oma/suosikit/{favourite}/poista",
            only(posted | {"other_client": 404}),
            data={},
        ),
    ]
