"""Matrix cases for the budget: client plan/balance/deliveries, case worker, provider orders.

World: `client` has a confirmed plan (one accepted order with a reported delivery, one
pending order); `other_client` (same case worker) has a plan sent for confirmation.
Assistants are not acting for anyone here, so client routes answer them 403.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from app.models.ledger import DisputeReason
from app.models.offer import Offer, OfferStatus, Unit
from app.models.organiser import Category
from app.models.settlement import Settlement, SettlementLine
from app.models.user import User
from app.services.budget import deliveries, disputes, plan, settlement
from app.services.budget import frames as budget_service
from app.services.identity.users import load_actor
from tests.authz.world import ROLES, Case, World

TODAY = date.today()


def _actor(world: World, role: str):  # noqa: ANN202
    user: User = world.users[role]
    actor = load_actor(world.session, user.id)  # type: ignore[arg-type]
    assert actor is not None
    return actor


def setup(world: World) -> None:
    s = world.session
    category = Category(organiser_id=world.organiser.id, slug="budget-c", name={"fi": "K"})  # type: ignore[arg-type]
    s.add(category)
    s.flush()
    offer = Offer(
        provider_id=world.providers["own"].id,  # type: ignore[arg-type]
        category_id=category.id,  # type: ignore[arg-type]
        title={"fi": "Siivous", "sv": "Städning"},
        unit=Unit.hour,
        unit_price_cents=1_000,
        status=OfferStatus.published,
    )
    s.add(offer)
    s.flush()
    worker = _actor(world, "case_worker")
    budgets = {}
    for role in ("client", "other_client"):
        budgets[role] = budget_service.set_frame(
            s,
            worker,
            world.users[role].id,  # type: ignore[arg-type]
            budget_service.FrameInput(
                100_000, "A", {}, "matrix", date(TODAY.year, 1, 1), date(TODAY.year, 12, 31)
            ),  # type: ignore[arg-type]
        )
    client = _actor(world, "client")
    first = plan.add_line(s, client, budgets["client"], offer.id, 1, 10, TODAY)  # type: ignore[arg-type]
    second = plan.add_line(s, client, budgets["client"], offer.id, 1, 5, TODAY)  # type: ignore[arg-type]
    plan.submit(s, client, budgets["client"], "")
    plan.confirm(s, worker, budgets["client"], "")
    provider = _actor(world, "provider_member")
    deliveries.decide_order(s, provider, first.id, True)  # type: ignore[arg-type]
    delivery = deliveries.report_delivery(s, provider, first.id, TODAY, 1, "")  # type: ignore[arg-type]
    # A second delivery, confirmed, makes the month's settlement (open).
    settled = deliveries.report_delivery(s, provider, first.id, TODAY, 1, "")  # type: ignore[arg-type]
    deliveries.accept(s, client, budgets["client"], settled.id)  # type: ignore[arg-type]
    # A disputed delivery the provider answers, a contested one the case worker decides.
    disputed = deliveries.report_delivery(s, provider, first.id, TODAY, 1, "")  # type: ignore[arg-type]
    disputes.dispute(s, client, budgets["client"], disputed.id, "ei", DisputeReason.not_right)  # type: ignore[arg-type]
    contested = deliveries.report_delivery(s, provider, first.id, TODAY, 1, "")  # type: ignore[arg-type]
    disputes.dispute(s, client, budgets["client"], contested.id, "ei")  # type: ignore[arg-type]
    disputes.contest(s, provider, contested.id, "on")  # type: ignore[arg-type]
    settlement.refresh(s, [world.organiser.id])  # type: ignore[list-item]
    open_settlement = s.exec(select(Settlement)).one()
    other = _actor(world, "other_client")
    plan.add_line(s, other, budgets["other_client"], offer.id, 1, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(s, other, budgets["other_client"], "")
    world.objects.update(
        budget_offer=offer.id,
        budget_line=first.id,
        budget_pending_line=second.id,
        budget_delivery=delivery.id,
        budget_disputed=disputed.id,
        budget_contested=contested.id,
        settlement=open_settlement.id,
    )


def only(allowed: dict[str, int], anonymous: int = 303, others: int = 403) -> dict[str, int]:
    expect = dict.fromkeys(ROLES, others)
    expect["anonymous"] = anonymous
    expect.update(allowed)
    # The assistant acts for `client` with every mandate scope: the client's statuses.
    if "client" in allowed and "assistant" not in allowed:
        expect["assistant"] = allowed["client"]
    return expect


def cases(world: World) -> list[Case]:
    o = world.objects
    client_id = world.users["client"].id
    other_id = world.users["other_client"].id
    line, pending, delivery = o["budget_line"], o["budget_pending_line"], o["budget_delivery"]
    disputed, contested = o["budget_disputed"], o["budget_contested"]
    add = {"offer_id": o["budget_offer"], "quantity": "1", "repeats": "2"}
    frame = {
        "frame": "1200",
        "arm": "A",
        "reason": "x",
        "period_start": f"{TODAY.year}-01-01",
        "period_end": f"{TODAY.year}-12-31",
    }
    meeting = {"kind": "initial", "held_on": TODAY.isoformat(), "notes": ""}
    cw = "/asiakkaat/{client_id}/budjetti"
    st, sid = "/hallinto/tilitys/{settlement_id}", o["settlement"]
    # Other modules' setups may add deliveries after ours: take them in, then read the total.
    settlement.refresh(world.session, [world.organiser.id])  # type: ignore[list-item]
    lines = world.session.exec(select(SettlementLine).where(SettlementLine.settlement_id == sid))
    total = sum(line.budget_cents + line.own_share_cents for line in lines)
    world.session.commit()  # the app's requests need the write lock
    admins = {"admin": 200, "other_admin": 404}
    return [
        Case("GET", "/oma/budjetti", "/oma/budjetti", only({"client": 200, "other_client": 200})),
        Case(
            "POST",
            "/oma/budjetti/tarkista",
            "/oma/budjetti/tarkista",
            only({"client": 200, "other_client": 200}, anonymous=204),
            data=add,
            htmx=True,
        ),
        Case(
            "POST",
            "/oma/budjetti/rivit",
            "/oma/budjetti/rivit",
            only({"client": 303, "other_client": 409}),
            data=add,
        ),
        Case(
            "POST",
            "/oma/budjetti/rivit/{line_id}/poista",
            f"/oma/budjetti/rivit/{line}/poista",
            only({"client": 303, "other_client": 404}),
        ),
        Case(
            "POST",
            "/oma/budjetti/muutos",
            "/oma/budjetti/muutos",
            only({"client": 303, "other_client": 409}),
        ),
        Case(
            "POST",
            "/oma/budjetti/laheta",
            "/oma/budjetti/laheta",
            only({"client": 409, "other_client": 409}),
            data={"note": ""},
        ),
        Case(
            "POST",
            "/oma/budjetti/takaisin",
            "/oma/budjetti/takaisin",
            only({"client": 409, "other_client": 409}),  # no version 999 waits (state kept)
            data={"version": "999"},
        ),
        Case(
            "GET",
            "/oma/budjetti/tulosta",
            "/oma/budjetti/tulosta",
            only({"client": 200, "other_client": 200}),
        ),
        Case("GET", "/oma/saldo", "/oma/saldo", only({"client": 200, "other_client": 200})),
        Case(
            "GET",
            "/oma/toimitukset",
            "/oma/toimitukset",
            only({"client": 200, "other_client": 200}),
        ),
        Case(
            "POST",
            "/oma/toimitukset/{delivery_id}/vahvista",
            f"/oma/toimitukset/{delivery}/vahvista",
            only({"client": 303, "other_client": 404}),
        ),
        Case(
            "POST",
            "/oma/toimitukset/{delivery_id}/kiista",
            f"/oma/toimitukset/{delivery}/kiista",
            only({"client": 303, "other_client": 404}),
            data={"reason": "ei tullut"},
        ),
        Case("GET", "/oma/omavastuu", "/oma/omavastuu", only({"client": 200, "other_client": 200})),
        # Payments are not configured in the matrix world: starting one is "not in use".
        Case(
            "POST",
            "/oma/omavastuu/maksu",
            "/oma/omavastuu/maksu",
            only({"client": 404, "other_client": 404}),
        ),
        Case(
            "GET",
            "/oma/omavastuu/maksu/{payment_id}",
            "/oma/omavastuu/maksu/1",
            only({"client": 404, "other_client": 404}),
        ),
        Case(
            "POST",
            "/webhooks/stripe",
            "/webhooks/stripe",
            dict.fromkeys(ROLES, 404),
            data={"x": "1"},
        ),
        Case("GET", "/tyo", "/tyo", only({"case_worker": 200, "other_case_worker": 200})),
        Case(
            "GET",
            "/asiakkaat/budjetit",
            "/asiakkaat/budjetit",
            only({"case_worker": 200, "other_case_worker": 200}),
        ),
        Case(
            "GET",
            cw,
            f"/asiakkaat/{client_id}/budjetti",
            only({"case_worker": 200, "other_case_worker": 404}),
        ),
        Case(
            "POST",
            cw + "/raami",
            f"/asiakkaat/{client_id}/budjetti/raami",
            only({"case_worker": 303, "other_case_worker": 404}),
            data=frame,
        ),
        Case(
            "POST",
            cw + "/vahvista",
            f"/asiakkaat/{other_id}/budjetti/vahvista",
            only({"case_worker": 303, "other_case_worker": 404}),
            data={"comment": ""},
        ),
        Case(
            "POST",
            cw + "/palauta",
            f"/asiakkaat/{other_id}/budjetti/palauta",
            only({"case_worker": 303, "other_case_worker": 404}),
            data={"comment": "muuta"},
        ),
        Case(
            "POST",
            cw + "/tapaamiset",
            f"/asiakkaat/{client_id}/budjetti/tapaamiset",
            only({"case_worker": 303, "other_case_worker": 404}),
            data=meeting,
        ),
        Case(
            "GET",
            cw + "/tulosta",
            f"/asiakkaat/{client_id}/budjetti/tulosta",
            only({"case_worker": 200, "other_case_worker": 404}),
        ),
        Case(
            "GET",
            "/hallinto/tilitys",
            "/hallinto/tilitys?month=2026-01",
            only({"admin": 200, "other_admin": 200}),
        ),
        Case(
            "GET",
            "/hallinto/tilitys.csv",
            "/hallinto/tilitys.csv",
            only({"admin": 200, "other_admin": 200}),
        ),
        Case("GET", st, f"/hallinto/tilitys/{sid}", only(admins)),
        Case(
            "POST",
            st + "/hyvaksy",
            f"/hallinto/tilitys/{sid}/hyvaksy",
            only({"admin": 303, "other_admin": 404}),
            data={"total_cents": str(total)},
        ),
        # An open settlement can only be approved: the admin's other steps are refused (409).
        Case(
            "POST",
            st + "/lahetetty",
            f"/hallinto/tilitys/{sid}/lahetetty",
            only({"admin": 409, "other_admin": 404}),
        ),
        Case(
            "POST",
            st + "/maksettu",
            f"/hallinto/tilitys/{sid}/maksettu",
            only({"admin": 409, "other_admin": 404}),
        ),
        Case(
            "GET",
            "/hallinto/pankkitili",
            "/hallinto/pankkitili",
            only({"admin": 200, "other_admin": 200}),  # each its own organisers' accounts
        ),
        Case(
            "POST",
            "/hallinto/pankkitili/{organiser_id}",
            f"/hallinto/pankkitili/{world.organiser.id}",
            only({"admin": 303, "other_admin": 404}),
            data={"holder": "Alue", "iban": "FI5542345670000081", "bic": "OKOYFIHH"},
        ),
        Case("GET", st + "/rivit.csv", f"/hallinto/tilitys/{sid}/rivit.csv", only(admins)),
        Case("GET", st + "/rivit.xlsx", f"/hallinto/tilitys/{sid}/rivit.xlsx", only(admins)),
        Case(
            "GET",
            st + "/maksu.xml",
            f"/hallinto/tilitys/{sid}/maksu.xml",
            only({"admin": 409, "other_admin": 404}),
        ),
        Case(
            "GET",
            "/tuottaja/tilitykset",
            "/tuottaja/tilitykset",
            only({"provider_member": 200, "other_provider_member": 200}),
        ),
        Case(
            "GET",
            "/tuottaja/tilaukset",
            "/tuottaja/tilaukset",
            only({"provider_member": 200, "other_provider_member": 200}),
        ),
        Case(
            "GET",
            "/tuottaja/tilaukset/{line_id}",
            f"/tuottaja/tilaukset/{line}",
            only({"provider_member": 200, "other_provider_member": 404}),
        ),
        Case(
            "GET",
            "/tuottaja/toimitukset",
            "/tuottaja/toimitukset",
            only({"provider_member": 200, "other_provider_member": 200}),
        ),
        Case(
            "GET",
            "/tuottaja/toimitukset/{delivery_id}",
            f"/tuottaja/toimitukset/{disputed}",
            only({"provider_member": 200, "other_provider_member": 404}),
        ),
        Case(
            "POST",
            "/tuottaja/tilaukset/{line_id}/hyvaksy",
            f"/tuottaja/tilaukset/{pending}/hyvaksy",
            only({"provider_member": 303, "other_provider_member": 404}),
        ),
        Case(
            "POST",
            "/tuottaja/tilaukset/{line_id}/hylkaa",
            f"/tuottaja/tilaukset/{pending}/hylkaa",
            only({"provider_member": 303, "other_provider_member": 404}),
        ),
        Case(
            "POST",
            "/tuottaja/tilaukset/{line_id}/toimitukset",
            f"/tuottaja/tilaukset/{line}/toimitukset",
            only({"provider_member": 303, "other_provider_member": 404}),
            data={"delivered_on": TODAY.isoformat(), "units": "1"},
        ),
        Case(
            "POST",
            "/tuottaja/toimitukset/{delivery_id}/korjaa",
            f"/tuottaja/toimitukset/{disputed}/korjaa",
            only({"provider_member": 303, "other_provider_member": 404}),
            data={"delivered_on": TODAY.isoformat(), "units": "1"},
        ),
        Case(
            "POST",
            "/tuottaja/toimitukset/{delivery_id}/peru",
            f"/tuottaja/toimitukset/{disputed}/peru",
            only({"provider_member": 303, "other_provider_member": 404}),
            data={"note": ""},
        ),
        Case(
            "POST",
            "/tuottaja/toimitukset/{delivery_id}/kiista",
            f"/tuottaja/toimitukset/{disputed}/kiista",
            only({"provider_member": 303, "other_provider_member": 404}),
            data={"note": "pitää paikkansa"},
        ),
        Case(
            "GET",
            "/asiakkaat/{client_id}/toimitukset",
            f"/asiakkaat/{client_id}/toimitukset",
            only({"case_worker": 200, "other_case_worker": 404}),
        ),
        Case(
            "POST",
            "/asiakkaat/{client_id}/toimitukset/{delivery_id}/ratkaise",
            f"/asiakkaat/{client_id}/toimitukset/{contested}/ratkaise",
            only({"case_worker": 303, "other_case_worker": 404}),
            data={"outcome": "reject", "note": "ei makseta"},
        ),
    ]
