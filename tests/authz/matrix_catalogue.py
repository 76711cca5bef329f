"""Matrix cases for the catalogue: public pages and API, provider listings, organiser admin."""

from __future__ import annotations

from sqlmodel import select

from app.models.offer import OfferStatus
from app.models.organiser import Category, Municipality
from app.models.provider import ProviderApproval
from app.models.search import SearchSynonym
from app.services.catalogue import listings
from tests.authz.world import ROLES, Case, World

LOGGED_IN = [r for r in ROLES if r != "anonymous"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only(allowed: dict[str, int], default: int = 403) -> dict[str, int]:
    expect = dict.fromkeys(ROLES, default) | {"anonymous": 303}
    return expect | allowed


def setup(world: World) -> None:
    s = world.session
    if s.get(Municipality, "179") is None:
        s.add(Municipality(code="179", name_fi="Jyväskylä", name_sv="Jyväskylä"))
    category = Category(organiser_id=world.organiser.id, slug="m-home", name={"fi": "Koti"})
    s.add(category)
    s.flush()
    for key in ("own", "other"):
        offer = listings.save_offer(
            s,
            None,
            world.providers[key].id,
            listings.OfferInput(
                title={"fi": f"Palvelu {key}"},
                category_id=category.id,
                unit="hour",
                unit_price_cents=3000,
                areas=["179"],
                status=OfferStatus.published,
            ),
        )
        world.objects[f"offer_{key}"] = offer.id
    world.objects["category"] = category.id
    approval = s.exec(
        select(ProviderApproval).where(ProviderApproval.provider_id == world.providers["own"].id)
    ).one()
    world.objects["approval"] = approval.id
    synonym = SearchSynonym(organiser_id=world.organiser.id, words_fi=["a1", "b2"], words_sv=[])
    s.add(synonym)
    s.flush()
    world.objects["synonym"] = synonym.id


def offer_form(world: World) -> dict[str, str]:
    return {
        "title_fi": "Uusi palvelu",
        "category_id": str(world.objects["category"]),
        "unit": "hour",
        "price": "40",
        "areas": "179",
        "status": "published",
    }


def cases(world: World) -> list[Case]:
    own = world.providers["own"].id
    own_offer = world.objects["offer_own"]
    approval = world.objects["approval"]
    synonym = world.objects["synonym"]
    member = {"provider_member": 200}
    member_post = {"provider_member": 303}
    provider_form = {
        "name": "Oma Tuottaja Oy",
        "business_id": "0000001-9",
        "description_fi": "Kuvaus",
        "areas": "179",
    }
    register_form = provider_form | {"business_id": "1572860-0", "organiser": "authz-a"}
    admins = {"admin": 200, "other_admin": 200}
    return hsds_cases(world) + [
        Case("GET", "/palvelut", "/palvelut?q=palvelu", everyone(200)),
        Case("GET", "/palvelut/vertaa", f"/palvelut/vertaa?offer={own_offer}", everyone(200)),
        Case(
            "GET", "/palvelut/tuottajat/{provider_id}", f"/palvelut/tuottajat/{own}", everyone(200)
        ),
        Case("GET", "/palvelut/{offer_id}", f"/palvelut/{own_offer}", everyone(200)),
        Case(
            "GET", "/api/v1/catalogue/search", "/api/v1/catalogue/search?q=palvelu", everyone(200)
        ),
        Case(
            "GET",
            "/api/v1/catalogue/offers/{offer_id}",
            f"/api/v1/catalogue/offers/{own_offer}",
            everyone(200),
        ),
        Case(
            "GET",
            "/tuottaja",
            "/tuottaja",
            only({"provider_member": 200, "other_provider_member": 200}),
        ),
        Case(
            "GET",
            "/tuottaja/rekisteroidy",
            "/tuottaja/rekisteroidy",
            only(dict.fromkeys(LOGGED_IN, 200)),
        ),
        Case(
            "POST",
            "/tuottaja/rekisteroidy",
            "/tuottaja/rekisteroidy",
            only(dict.fromkeys(LOGGED_IN, 303)),
            data=register_form,
        ),
        Case("GET", "/tuottaja/tiedot/{provider_id}", f"/tuottaja/tiedot/{own}", only(member)),
        Case(
            "POST",
            "/tuottaja/tiedot/{provider_id}",
            f"/tuottaja/tiedot/{own}",
            only(member_post),
            data=provider_form,
        ),
        Case(
            "GET",
            "/tuottaja/{provider_id}/palvelut/uusi",
            f"/tuottaja/{own}/palvelut/uusi",
            only(member),
        ),
        Case(
            "POST",
            "/tuottaja/{provider_id}/palvelut/uusi",
            f"/tuottaja/{own}/palvelut/uusi",
            only(member_post),
            data=offer_form(world),
        ),
        Case(
            "GET", "/tuottaja/palvelut/{offer_id}", f"/tuottaja/palvelut/{own_offer}", only(member)
        ),
        Case(
            "POST",
            "/tuottaja/palvelut/{offer_id}",
            f"/tuottaja/palvelut/{own_offer}",
            only(member_post),
            data=offer_form(world),
        ),
        Case(
            "POST",
            "/tuottaja/palvelut/{offer_id}/tarkistettu",
            f"/tuottaja/palvelut/{own_offer}/tarkistettu",
            only(member_post),
            data={},
        ),
        Case("GET", "/hallinto/tuottajat", "/hallinto/tuottajat", only(admins)),
        Case(
            "GET",
            "/hallinto/tuottajat/{approval_id}",
            f"/hallinto/tuottajat/{approval}",
            only({"admin": 200, "other_admin": 404}),
        ),
        Case(
            "POST",
            "/hallinto/tuottajat/{approval_id}",
            f"/hallinto/tuottajat/{approval}",
            only({"admin": 303, "other_admin": 404}),
            data={"action": "suspend", "reason": "Syy"},
        ),
        Case("GET", "/hallinto/luokat", "/hallinto/luokat", only(admins)),
        Case(
            "POST",
            "/hallinto/luokat",
            "/hallinto/luokat",
            only({"admin": 303, "other_admin": 303}),
            data={"slug": "new-cat", "name_fi": "Uusi", "name_sv": "Ny"},
        ),
        Case("GET", "/hallinto/hakusanat", "/hallinto/hakusanat", only(admins)),
        Case(
            "POST",
            "/hallinto/hakusanat",
            "/hallinto/hakusanat",
            only({"admin": 303, "other_admin": 303}),
            data={"words_fi": "siivous, siivooja", "words_sv": "städning"},
        ),
        Case(
            "GET",
            "/hallinto/hakusanat/{group_id}",
            f"/hallinto/hakusanat/{synonym}",
            only({"admin": 200, "other_admin": 404}),
        ),
        Case(
            "POST",
            "/hallinto/hakusanat/{group_id}",
            f"/hallinto/hakusanat/{synonym}",
            only({"admin": 303, "other_admin": 404}),
            data={"words_fi": "siivous, siivooja"},
        ),
        Case(
            "POST",
            "/hallinto/hakusanat/{group_id}/poista",
            f"/hallinto/hakusanat/{synonym}/poista",
            only({"admin": 303, "other_admin": 404}),
            data={},
        ),
    ]


def hsds_cases(world: World) -> list[Case]:
    return [Case("GET", "/api/v1/catalogue/hsds", "/api/v1/catalogue/hsds", everyone(200))]
