"""Rating pages over HTTP: rate from the deliveries page, the offer page's min-n summary,
reporting, moderation with the author told, provider replies (SQLite and PostgreSQL)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models.rating import Rating, RatingReport
from app.models.user import Membership, Role, User
from app.services.ratings import feedback
from app.services.ratings.feedback import RatingForm
from tests.ratings.helpers import new_client, use
from tests.support.budget_world import TODAY, BudgetWorld, build
from tests.support.web import form_post, login_as

EN = {"Accept-Language": "en"}


def _world(session: Session) -> BudgetWorld:
    world = build(session)
    world.client.dev_persona = "r-client"
    world.provider_user.dev_persona = "r-provider"
    admin = User(display_name="Admin", dev_persona="r-admin")
    session.add(admin)
    session.flush()
    session.add(Membership(user_id=admin.id, role=Role.admin, organiser_id=world.organiser.id))  # type: ignore[arg-type]
    session.flush()
    return world


def _rated_by_others(world: BudgetWorld, offer_id: int, n: int) -> None:
    offer = next(o for o in world.offers if o.id == offer_id)
    for i in range(n):
        rater = new_client(world, f"Secret Name {i}")
        use(world, rater, [offer], TODAY)
        feedback.rate(
            world.session,
            world.actor(rater),
            offer_id,
            RatingForm(quality=4 + i % 2, effect=3, comment=f"Comment {i}"),
            TODAY,
        )


def test_client_rates_from_the_deliveries_page(client: TestClient, session: Session) -> None:
    world = _world(session)
    offer = world.offer(2_000)
    use(world, world.client, [offer], TODAY)
    session.commit()
    login_as(client, "r-client")
    page = client.get("/oma/toimitukset", headers=EN).text
    assert f'href="/oma/arviot/{offer.id}"' in page and "Rate the service" in page
    listing = client.get("/oma/arviot", headers=EN).text
    assert "Services you can rate" in listing and f'href="/oma/arviot/{offer.id}"' in listing
    form = client.get(f"/oma/arviot/{offer.id}", headers=EN)
    assert form.status_code == 200
    assert 'type="radio" id="f-quality" name="quality" value="5"' in form.text
    assert "<legend>" in form.text
    # Missing stars: the form comes back with a translated error and the typed comment.
    bad = form_post(
        client, f"/oma/arviot/{offer.id}", {"effect": "2", "comment": "Kiva"}, headers=EN
    )
    assert bad.status_code == 422 and "This field is required." in bad.text and "Kiva" in bad.text
    ok = form_post(
        client, f"/oma/arviot/{offer.id}", {"quality": "5", "effect": "4", "comment": "Kiva"}
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/oma/arviot?tallennettu=1"
    again = form_post(client, f"/oma/arviot/{offer.id}", {"quality": "1", "effect": "1"})
    assert again.status_code == 409
    session.expire_all()
    rating = session.exec(select(Rating)).one()
    session.commit()  # end the read transaction: SQLite writers wait for it otherwise
    assert (rating.quality, rating.effect, rating.comment) == (5, 4, "Kiva")
    assert rating.client_id == world.client.id and rating.entered_by_id == world.client.id
    listing = client.get("/oma/arviot?tallennettu=1", headers=EN).text
    assert "Your rating has been saved" in listing and "Kiva" in listing
    assert f'href="/oma/arviot/{offer.id}"' not in listing  # rated this month


def test_offer_page_min_n_and_anonymity(client: TestClient, session: Session) -> None:
    world = _world(session)
    offer = world.offer(2_000)
    _rated_by_others(world, offer.id, 4)  # type: ignore[arg-type]
    session.commit()
    page = client.get(f"/palvelut/{offer.id}", headers=EN).text
    assert "Not enough ratings yet" in page and "Comment 0" not in page
    assert "Ratings by stars" not in page
    _rated_by_others(world, offer.id, 1)  # type: ignore[arg-type]
    session.commit()
    page = client.get(f"/palvelut/{offer.id}", headers=EN).text
    assert "Ratings by stars" in page and "5 ratings" in page
    assert "Comment 0" in page and "Secret Name" not in page
    month = TODAY.strftime("%B %Y")
    assert month in page and TODAY.isoformat() not in page and "1.6.2026" not in page
    # Not logged in: no report form.
    assert "/ilmoita" not in page


def test_report_moderate_and_tell_the_author(client: TestClient, session: Session) -> None:
    world = _world(session)
    offer = world.offer(2_000)
    _rated_by_others(world, offer.id, 4)  # type: ignore[arg-type]
    use(world, world.client, [offer], TODAY)
    mine = feedback.rate(
        session,
        world.actor(world.client),
        offer.id,  # type: ignore[arg-type]
        RatingForm(quality=1, effect=1, comment="Nimi Nimelä oli huono"),
        TODAY,
    )
    session.commit()
    offer_id, mine_id = offer.id, mine.id
    login_as(client, "r-provider")
    page = client.get(f"/palvelut/{offer_id}", headers=EN).text
    assert f'action="/palvelut/arviot/{mine_id}/ilmoita"' in page
    response = form_post(client, f"/palvelut/arviot/{mine_id}/ilmoita", {"reason": "Nimi"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/palvelut/{offer_id}?ilmoitettu={mine_id}#arviot"
    assert "moderators will check" in client.get(response.headers["location"], headers=EN).text
    session.expire_all()
    assert session.exec(select(RatingReport)).one().reason == "Nimi"
    session.commit()
    login_as(client, "r-admin")
    queue = client.get("/hallinto/arviot", headers=EN).text
    assert "Nimi Nimelä oli huono" in queue and "1 report" in queue
    bad = form_post(client, f"/hallinto/arviot/{mine_id}/piilota", {"reason": ""}, headers=EN)
    assert bad.status_code == 422 and "Give a reason" in bad.text
    done = form_post(client, f"/hallinto/arviot/{mine_id}/piilota", {"reason": "Henkilön nimi"})
    assert done.status_code == 303
    assert "No reported comments." in client.get("/hallinto/arviot", headers=EN).text
    public = client.get(f"/palvelut/{offer_id}", headers=EN).text
    assert "Nimi Nimelä" not in public and "5 ratings" in public
    login_as(client, "r-client")
    own = client.get("/oma/arviot", headers=EN).text
    assert "The organiser hid your comment" in own and "Henkilön nimi" in own
    balance = client.get("/oma/saldo", headers=EN).text
    assert "The organiser hid your comment on a service. Reason: Henkilön nimi" in balance


def test_provider_replies_once(client: TestClient, session: Session) -> None:
    world = _world(session)
    offer = world.offer(2_000)
    _rated_by_others(world, offer.id, 5)  # type: ignore[arg-type]
    session.commit()
    rating = session.exec(select(Rating).order_by(Rating.id)).first()
    session.commit()
    assert rating is not None
    login_as(client, "r-provider")
    page = client.get("/tuottaja/arviot", headers=EN).text
    assert page.count('name="reply"') == 5 and "Secret Name" not in page
    empty = form_post(client, f"/tuottaja/arviot/{rating.id}/vastaus", {"reply": ""})
    assert empty.status_code == 422
    ok = form_post(client, f"/tuottaja/arviot/{rating.id}/vastaus", {"reply": "Kiitos!"})
    assert ok.status_code == 303
    twice = form_post(client, f"/tuottaja/arviot/{rating.id}/vastaus", {"reply": "Taas"})
    assert twice.status_code == 409
    assert client.get("/tuottaja/arviot").text.count('name="reply"') == 4
    public = client.get(f"/palvelut/{offer.id}", headers=EN).text
    assert "Reply from the provider" in public and "Kiitos!" in public


def test_demo_ratings(client: TestClient, demo: None, session: Session) -> None:
    from sqlmodel import col

    from app.demo.cohort_specs import MARKER
    from app.demo.county import load_demo
    from app.models.user import User

    # The ratings demo's own raters (the cohort's effect ratings are app/demo/market.py's).
    own = col(Rating.client_id).not_in(select(User.id).where(col(User.email).endswith(MARKER)))
    counts = sorted(
        len(session.exec(select(Rating).where(Rating.offer_id == offer_id, own)).all())
        for offer_id in set(session.exec(select(Rating.offer_id).where(own)).all())
    )
    assert counts == [3, 5, 6]
    assert len(session.exec(select(RatingReport)).all()) == 1
    replied = session.exec(select(Rating).where(Rating.reply != "")).all()
    assert len(replied) == 1
    load_demo(session)  # idempotent
    session.flush()
    assert len(session.exec(select(Rating).where(own)).all()) == 14
    session.rollback()
    login_as(client, "admin")
    assert "Kommentti on asiaton." in client.get("/hallinto/arviot").text
    login_as(client, "provider-owner")
    assert "Kiitos palautteesta!" in client.get("/tuottaja/arviot").text
    login_as(client, "client")
    assert 'href="/oma/arviot/' in client.get("/oma/arviot").text  # Aino can rate


def test_provider_page_summarises_its_offers_ratings(client, demo, engine) -> None:
    """The provider's public page shows the rating over all its offers once 5 clients rated."""
    from sqlmodel import Session, func, select

    from app.models.rating import Rating

    with Session(engine) as s:
        provider_id, raters = s.exec(
            select(Rating.provider_id, func.count(func.distinct(Rating.client_id)))
            .group_by(Rating.provider_id)
            .order_by(func.count(func.distinct(Rating.client_id)).desc())
        ).first()
    assert raters >= 5  # the demo's first offer has six raters
    page = client.get(f"/palvelut/tuottajat/{provider_id}", headers={"Accept-Language": "fi"})
    assert page.status_code == 200
    assert "Arvio " in page.text and "/ 5" in page.text
