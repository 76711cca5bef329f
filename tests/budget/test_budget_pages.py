"""Budget pages end to end through HTTP: client, case worker, provider (demo data)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models.budget import Budget, PlanLine, PlanStatus, PlanVersion
from app.models.ledger import Delivery, DeliveryStatus, EntryKind
from app.models.offer import Offer
from app.models.provider import Provider
from app.models.user import Membership, Role, User
from app.services.budget import ledger
from tests.support.web import form_post, htmx_post, login_as


def _user(session: Session, persona: str) -> User:
    user = session.exec(select(User).where(User.dev_persona == persona)).one()
    session.commit()  # end the read transaction: SQLite writers wait for it otherwise
    return user


def _own_provider_id(session: Session) -> int:
    """The provider of the demo persona `provider-owner` (the demo's orders go to it)."""
    owner = _user(session, "provider-owner")
    member = session.exec(
        select(Membership).where(
            Membership.user_id == owner.id, Membership.role == Role.provider_owner
        )
    ).one()
    session.commit()
    assert member.provider_id is not None
    return member.provider_id


def test_client_pages_render(client: TestClient, demo: None) -> None:
    login_as(client, "client")
    for url in ["/oma/budjetti", "/oma/saldo", "/oma/toimitukset", "/oma/budjetti/tulosta"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[-2000:])
    page = client.get("/oma/saldo").text
    assert "At this pace" in page or "Tällä tahdilla" in page or "lasts" in page


def test_case_worker_and_provider_pages(client: TestClient, demo: None, session: Session) -> None:
    erik = _user(session, "client-sv")
    login_as(client, "case-worker")
    assert client.get("/asiakkaat/budjetit").status_code == 200
    page = client.get(f"/asiakkaat/{erik.id}/budjetti")
    assert page.status_code == 200, page.text[-3000:]
    assert client.get(f"/asiakkaat/{erik.id}/budjetti/tulosta").status_code == 200
    aino = _user(session, "client")
    aino_page = client.get(f"/asiakkaat/{aino.id}/budjetti").text
    assert "Odottaa vahvistusta" in aino_page  # the demo's reported delivery
    # Beside the plan: the latest assessment and the goals, with the way to all of them.
    assert 'id="care-heading"' in aino_page and "lähetetty" in aino_page
    assert f'href="/tyo/asiakkaat/{aino.id}/arviointi"' in aino_page
    login_as(client, "provider-owner")
    orders = client.get("/tuottaja/tilaukset")
    assert orders.status_code == 200 and "Aino Virtanen" in orders.text


def test_full_flow(client: TestClient, demo: None, session: Session) -> None:
    erik = _user(session, "client-sv")
    login_as(client, "case-worker")
    # Return with no comment: translated error, nothing changed.
    response = form_post(client, f"/asiakkaat/{erik.id}/budjetti/palauta", {"comment": ""})
    assert response.status_code == 422
    response = form_post(client, f"/asiakkaat/{erik.id}/budjetti/vahvista", {"comment": "ok"})
    assert response.status_code == 303
    response = form_post(client, f"/asiakkaat/{erik.id}/budjetti/vahvista", {"comment": "ok"})
    assert response.status_code == 409
    line = session.exec(
        select(PlanLine)
        .join(PlanVersion, PlanVersion.id == PlanLine.plan_version_id)
        .join(Budget, Budget.id == PlanVersion.budget_id)
        .where(PlanVersion.status == PlanStatus.confirmed, Budget.client_id == erik.id)
        .where(PlanLine.provider_id == _own_provider_id(session))
    ).first()
    assert line is not None
    session.commit()
    login_as(client, "provider-owner")
    assert form_post(client, f"/tuottaja/tilaukset/{line.id}/hyvaksy").status_code == 303
    bad = form_post(
        client,
        f"/tuottaja/tilaukset/{line.id}/toimitukset",
        {"delivered_on": "2026-05-01", "units": "0"},
    )
    assert bad.status_code == 422
    url = f"/tuottaja/tilaukset/{line.id}/toimitukset"
    tomorrow = date.today() + timedelta(days=2)  # after today also in Finland
    last_year = date(date.today().year - 1, 12, 31)  # before the demo budget's period
    for day, message in [(tomorrow, "vasta kun"), (last_year, "budjettikauden")]:
        bad = form_post(client, url, {"delivered_on": day.isoformat(), "units": "1"})
        assert bad.status_code == 422 and message in bad.text  # shown at the date field
    this_month = date.today().replace(day=1).isoformat()
    ok = form_post(client, url, {"delivered_on": this_month, "units": "1"})
    assert ok.status_code == 303, ok.text[-2000:]
    delivery = session.exec(select(Delivery).where(Delivery.plan_line_id == line.id)).one()
    session.commit()
    login_as(client, "client-sv")
    assert form_post(client, f"/oma/toimitukset/{delivery.id}/vahvista").status_code == 303
    session.expire_all()
    assert session.get(Delivery, delivery.id).status == DeliveryStatus.confirmed  # type: ignore[union-attr]
    assert ledger.verify(session) == []
    session.commit()


def test_client_plans_with_live_check(client: TestClient, demo: None, session: Session) -> None:
    login_as(client, "client")
    offer = session.exec(select(Offer)).first()
    assert offer is not None
    session.commit()
    # Aino's plan is confirmed: the first change starts version 2.
    fragment = htmx_post(
        client, "/oma/budjetti/tarkista", {"offer_id": offer.id, "quantity": "1", "repeats": "2"}
    )
    assert fragment.status_code == 200 and 'id="fit"' in fragment.text
    assert "<html" not in fragment.text
    bad = form_post(
        client, "/oma/budjetti/rivit", {"offer_id": offer.id, "quantity": "0", "repeats": "2"}
    )
    assert bad.status_code == 422 and 'value="0"' in bad.text
    added = form_post(
        client, "/oma/budjetti/rivit", {"offer_id": offer.id, "quantity": "1", "repeats": "1"}
    )
    assert added.status_code == 303
    page = client.get("/oma/budjetti").text
    assert re.search(r"version 2|versio 2", page)
    sent = form_post(client, "/oma/budjetti/laheta", {"note": "hei", "version": "2"})
    assert sent.status_code == 303
    again = form_post(client, "/oma/budjetti/laheta", {"note": "hei", "version": "2"})
    assert again.status_code == 409


def test_settlement_page_and_csv(client: TestClient, demo: None, session: Session) -> None:
    provider = session.get(Provider, _own_provider_id(session))
    assert provider is not None
    name = provider.name
    session.commit()
    login_as(client, "admin")
    month = date.today().strftime("%Y-%m")
    page = client.get(f"/hallinto/tilitys?month={month}")
    assert page.status_code == 200
    assert name in page.text  # the demo's confirmed deliveries
    csv_response = client.get(f"/hallinto/tilitys.csv?month={month}")
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert csv_response.text.splitlines()[0].startswith("month;provider;business_id")
    rows = csv_response.text.splitlines()[1:]
    assert rows and any(name in row for row in rows)
    assert len(rows) + 1 == page.text.count('<th scope="row"')  # one per provider + the total


def test_offer_page_adds_to_plan(client: TestClient, demo: None, session: Session) -> None:
    """The catalogue's offer page leads a client to the plan with the offer chosen."""
    from app.services.budget import plan_offers

    aino = _user(session, "client")
    budget = session.exec(select(Budget).where(Budget.client_id == aino.id)).one()
    offer = plan_offers.available_offers(session, budget, date.today())[0]
    session.commit()
    assert 'href="/oma/budjetti?palvelu=' not in client.get(f"/palvelut/{offer.id}").text
    login_as(client, "client")
    page = client.get(f"/palvelut/{offer.id}").text
    assert f'href="/oma/budjetti?palvelu={offer.id}#add-heading"' in page
    assert form_post(client, "/oma/budjetti/muutos").status_code == 303
    plan_page = client.get(f"/oma/budjetti?palvelu={offer.id}").text
    assert f'<option value="{offer.id}" selected>' in plan_page
    login_as(client, "case-worker")
    assert "/oma/budjetti?palvelu=" not in client.get(f"/palvelut/{offer.id}").text


def test_plan_line_linked_to_goals(client: TestClient, demo: None, session: Session) -> None:
    """A line added with goals shows them, also in the next plan version; others' goals refused."""
    from app.models.goal import Goal, GoalPlanLink
    from app.services.budget import plan_offers

    aino = _user(session, "client")
    erik = _user(session, "client-sv")
    budget = session.exec(select(Budget).where(Budget.client_id == aino.id)).one()
    offer = plan_offers.available_offers(session, budget, date.today())[0]
    own = Goal(client_id=aino.id, what="Käyn uimassa viikoittain")  # type: ignore[arg-type]
    foreign = Goal(client_id=erik.id, what="Erikin tavoite")  # type: ignore[arg-type]
    session.add(own)
    session.add(foreign)
    session.commit()
    own_id, foreign_id, offer_id = own.id, foreign.id, offer.id
    session.commit()  # end the read transaction: SQLite writers wait for it otherwise
    login_as(client, "client")
    page = client.get("/oma/budjetti").text
    assert (
        f'name="goal" value="{own_id}"' in page and f'name="goal" value="{foreign_id}"' not in page
    )
    data = {"offer_id": offer_id, "quantity": 1, "repeats": 2, "goal": [str(foreign_id)]}
    assert form_post(client, "/oma/budjetti/rivit", data).status_code == 404
    assert session.exec(select(GoalPlanLink)).all() == []
    session.commit()
    data["goal"] = [str(own_id)]
    assert form_post(client, "/oma/budjetti/rivit", data).status_code == 303
    page = client.get("/oma/budjetti").text
    assert "Käyn uimassa viikoittain</span>" in page  # shown on the line it is linked to
    links = session.exec(select(GoalPlanLink)).all()
    assert [link.goal_id for link in links] == [own_id]


def test_offer_picker_follows_the_add_line_rules(demo: None, session: Session) -> None:
    """The plan's picker (plain columns, SQL filters) offers exactly what add_line accepts."""
    from datetime import timedelta

    from app.services.budget import plan_offers

    aino = _user(session, "client")
    budget = session.exec(select(Budget).where(Budget.client_id == aino.id)).one()
    today = date.today()
    expired = plan_offers.available_offers(session, budget, today)[0]
    expired.valid_to = today - timedelta(days=1)
    session.add(expired)
    session.flush()
    options = plan_offers.offer_options(session, budget, today)
    available = plan_offers.available_offers(session, budget, today)
    assert {o.id for o in options} == {o.id for o in available}
    assert expired.id not in {o.id for o in options} and len(options) > 10
    assert all(o.provider_name and o.unit_price_cents > 0 for o in options)
    session.rollback()


def test_balance_page_survives_a_projection_beyond_any_date(
    lenient: TestClient, demo: None, session: Session
) -> None:
    """Little spent of a big frame on the first day: at this pace the money lasts longer
    than a date can say; the page says it lasts the period instead of failing for good."""
    aino = _user(session, "client")
    for budget in session.exec(select(Budget).where(Budget.client_id == aino.id)).all():
        big = 2_000_000_000 - ledger.balance(session, budget)  # near what a cents column holds
        ledger.post(session, budget, EntryKind.allocation, big, f"test:big:{budget.id}")
        budget.frame_cents = ledger.balance(session, budget) + 1  # one cent spent
        budget.period_start = date.today()
        session.add(budget)
    session.commit()
    login_as(lenient, "client")
    assert lenient.get("/oma/saldo").status_code == 200
