"""Matrix cases for ratings: the client rates, anyone logged in reports, the provider replies,
organiser admins moderate.

World (on top of matrix_budget's): `client` has a confirmed delivery of the budget offer
(of the `own` provider, in `organiser`); five other clients have rated that offer with a
comment, so the ratings are public. `other_client` has no delivery of it.
"""

from __future__ import annotations

from sqlmodel import select

from app.models.budget import Budget
from app.models.rating import CommentStatus, Rating
from app.models.user import User
from app.services.budget import deliveries
from app.services.ratings.summary import MIN_RATINGS, month_key
from tests.authz.matrix_budget import TODAY, _actor, only
from tests.authz.world import ROLES, Case, World


def setup(world: World) -> None:
    s = world.session
    o = world.objects
    client = world.users["client"]
    budget = s.exec(select(Budget).where(Budget.client_id == client.id)).one()
    provider = _actor(world, "provider_member")
    done = deliveries.report_delivery(s, provider, o["budget_line"], TODAY, 1, "")
    deliveries.accept(s, _actor(world, "client"), budget, done.id)  # type: ignore[arg-type]
    first = None
    for i in range(MIN_RATINGS):
        rater = User(display_name=f"Rater {i}")
        s.add(rater)
        s.flush()
        rating = Rating(
            offer_id=o["budget_offer"],
            provider_id=world.providers["own"].id,  # type: ignore[arg-type]
            client_id=rater.id,  # type: ignore[arg-type]
            entered_by_id=rater.id,  # type: ignore[arg-type]
            delivery_id=done.id,  # type: ignore[arg-type]
            plan_line_id=o["budget_line"],
            month=month_key(TODAY),
            quality=4,
            effect=3,
            comment="Hyvä palvelu",
            comment_status=CommentStatus.visible,
        )
        s.add(rating)
        s.flush()
        first = first or rating.id
    o["rating"] = first


def client_expect(own: int, other_client: int) -> dict[str, int]:
    expect = only({"client": own, "other_client": other_client})
    expect["assistant"] = own
    return expect


def cases(world: World) -> list[Case]:
    offer, rating = world.objects["budget_offer"], world.objects["rating"]
    anyone = dict.fromkeys(ROLES, 303)
    return [
        Case("GET", "/oma/arviot", "/oma/arviot", client_expect(200, 200)),
        Case("GET", "/oma/arviot/{offer_id}", f"/oma/arviot/{offer}", client_expect(200, 403)),
        Case(
            "POST",
            "/oma/arviot/{offer_id}",
            f"/oma/arviot/{offer}",
            client_expect(303, 403),
            data={"quality": "4", "effect": "3", "comment": ""},
        ),
        Case(
            "POST",
            "/palvelut/arviot/{rating_id}/ilmoita",
            f"/palvelut/arviot/{rating}/ilmoita",
            anyone,
            data={"reason": "asiaton"},
        ),
        Case(
            "GET",
            "/tuottaja/arviot",
            "/tuottaja/arviot",
            only({"provider_member": 200, "other_provider_member": 200}),
        ),
        Case(
            "POST",
            "/tuottaja/arviot/{rating_id}/vastaus",
            f"/tuottaja/arviot/{rating}/vastaus",
            only({"provider_member": 303, "other_provider_member": 404}),
            data={"reply": "Kiitos"},
        ),
        Case(
            "GET", "/hallinto/arviot", "/hallinto/arviot", only({"admin": 200, "other_admin": 200})
        ),
        Case(
            "POST",
            "/hallinto/arviot/{rating_id}/piilota",
            f"/hallinto/arviot/{rating}/piilota",
            only({"admin": 303, "other_admin": 404}),
            data={"reason": "Nimi"},
        ),
        Case(
            "POST",
            "/hallinto/arviot/{rating_id}/pida",
            f"/hallinto/arviot/{rating}/pida",
            only({"admin": 303, "other_admin": 404}),
        ),
    ]
