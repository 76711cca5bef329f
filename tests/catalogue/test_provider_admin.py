"""Provider listings and organiser approval through HTTP."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models.audit import AuditEvent
from app.models.offer import Offer, OfferPrice
from app.models.organiser import Category
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.user import Membership, Role, User
from tests.catalogue import factories as f
from tests.support.web import form_post, login_as


@pytest.fixture
def data(engine):
    with Session(engine, expire_on_commit=False) as s:
        org = f.organiser(s)
        cat = f.category(s, org)
        own = f.provider(s, org, "Oma Oy")
        other = f.provider(s, org, "Muu Oy")
        other_offer = f.offer(s, other, cat, "Muun palvelu")
        users = {}
        for key, role, prov, organiser_id in (
            ("p-owner", Role.provider_owner, own, None),
            ("p-admin", Role.admin, None, org.id),
        ):
            user = User(display_name=key, dev_persona=key)
            s.add(user)
            s.flush()
            s.add(
                Membership(
                    user_id=user.id,
                    role=role,
                    provider_id=prov.id if prov else None,
                    organiser_id=organiser_id,
                )
            )
            users[key] = user
        s.commit()
        return {"org": org, "cat": cat, "own": own, "other": other, "other_offer": other_offer}


def offer_form(cat_id, **kw):
    base = {
        "title_fi": "Kotisiivous",
        "category_id": str(cat_id),
        "unit": "hour",
        "price": "35,50",
        "delivery_modes": "home",
        "languages": "fi",
        "areas": "179",
        "status": "published",
    }
    base.update(kw)
    return base


def test_provider_creates_and_edits_offer_with_price_history(client, data, session):
    login_as(client, "p-owner")
    assert client.get("/tuottaja").status_code == 200
    r = form_post(client, f"/tuottaja/{data['own'].id}/palvelut/uusi", offer_form(data["cat"].id))
    assert r.status_code == 303, r.text
    offer = session.exec(select(Offer).where(Offer.provider_id == data["own"].id)).one()
    session.commit()  # SQLite: release the test session's lock before the next request
    assert offer.unit_price_cents == 3550
    r = form_post(client, f"/tuottaja/palvelut/{offer.id}", offer_form(data["cat"].id, price="38"))
    assert r.status_code == 303
    prices = session.exec(select(OfferPrice).where(OfferPrice.offer_id == offer.id)).all()
    session.commit()
    assert [p.unit_price_cents for p in prices] == [3550, 3800]
    assert "Kotisiivous" in client.get("/palvelut?q=siivous").text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": "-5"}, "price"),
        ({"price": "250000"}, "price"),
        ({"price": "kallis"}, "price"),
        ({"title_fi": ""}, "title_sv"),
        ({"areas": "179 999"}, "areas"),
        ({"description_fi": "x" * 6000}, "description_fi"),
    ],
)
def test_bad_offer_input_is_answered_next_to_the_field(client, data, changes, field):
    login_as(client, "p-owner")
    form = offer_form(data["cat"].id, **changes)
    r = form_post(client, f"/tuottaja/{data['own'].id}/palvelut/uusi", form)
    assert r.status_code == 422
    assert f'id="f-{field}-error"' in r.text
    assert 'value="179' in r.text or field == "areas"  # the rest of the form is kept


def test_municipalities_by_name_and_a_warning_for_missing_swedish(client, data, session):
    login_as(client, "p-owner")
    url = f"/tuottaja/{data['own'].id}/palvelut/uusi"
    wrong = form_post(client, url, offer_form(data["cat"].id, areas="Jyväskylä, Atlantis"))
    assert wrong.status_code == 422 and 'id="f-areas-error"' in wrong.text
    assert "Atlantis" in wrong.text and 'value="Jyväskylä, Atlantis"' in wrong.text  # kept
    form = offer_form(data["cat"].id, areas="Jyväskylä", languages=["fi", "sv"])
    saved = form_post(client, url, form)
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert 'value="Jyväskylä"' in page.text  # shown by name, stored as its code
    assert 'id="swedish-warning"' in page.text and 'href="#f-title_sv"' in page.text
    offer_id = int(saved.headers["location"].rsplit("/", 1)[1])
    swedish = offer_form(data["cat"].id, languages=["fi", "sv"], title_sv="Hemstädning",
                         description_sv="Städning hemma.")  # fmt: skip
    assert form_post(client, f"/tuottaja/palvelut/{offer_id}", swedish).status_code == 303
    assert 'id="swedish-warning"' not in client.get(f"/tuottaja/palvelut/{offer_id}").text


def test_html_in_descriptions_is_sanitised(client, data, session):
    login_as(client, "p-owner")
    form = offer_form(data["cat"].id, description_fi="<p>Hei</p><script>alert(1)</script>")
    form_post(client, f"/tuottaja/{data['own'].id}/palvelut/uusi", form)
    offer = session.exec(select(Offer).where(Offer.provider_id == data["own"].id)).one()
    session.commit()
    assert offer.description == {"fi": "<p>Hei</p>"}
    assert "<script>alert" not in client.get(f"/palvelut/{offer.id}").text


def test_editing_another_providers_offer_is_forbidden_and_audited(client, data, session):
    login_as(client, "p-owner")
    url = f"/tuottaja/palvelut/{data['other_offer'].id}"
    assert client.get(url).status_code == 403
    assert form_post(client, url, offer_form(data["cat"].id)).status_code == 403
    r = form_post(client, f"/tuottaja/{data['other'].id}/palvelut/uusi", offer_form(data["cat"].id))
    assert r.status_code == 403
    denied = session.exec(select(AuditEvent).where(AuditEvent.action == "denied")).all()
    assert len(denied) >= 3


def test_register_provider_validates_business_id(client, data, session):
    login_as(client, "p-owner")
    form = {
        "name": "Uusi Oy",
        "business_id": "1234567-8",
        "description_fi": "Palveluja",
        "areas": "179",
        "organiser": "org-a",
    }
    r = form_post(client, "/tuottaja/rekisteroidy", form)
    assert r.status_code == 422 and 'id="f-business_id-error"' in r.text
    assert 'value="Uusi Oy"' in r.text
    r = form_post(client, "/tuottaja/rekisteroidy", form | {"business_id": "1572860-0"})
    assert r.status_code == 303
    provider = session.exec(select(Provider).where(Provider.name == "Uusi Oy")).one()
    approval = session.exec(
        select(ProviderApproval).where(ProviderApproval.provider_id == provider.id)
    ).one()
    assert approval.status == ApprovalStatus.pending


def test_admin_reviews_rejects_approves_and_suspends(client, data, session):
    approval = session.exec(
        select(ProviderApproval).where(ProviderApproval.provider_id == data["other"].id)
    ).one()
    session.commit()
    login_as(client, "p-admin")
    assert "Muu Oy" in client.get("/hallinto/tuottajat").text
    url = f"/hallinto/tuottajat/{approval.id}"
    r = form_post(client, url, {"action": "suspend"})
    assert r.status_code == 422 and 'id="f-reason-error"' in r.text
    r = form_post(client, url, {"action": "approve"})
    assert r.status_code == 422  # the checklist is not complete
    assert (
        form_post(client, url, {"action": "suspend", "reason": "Ei vakuutusta"}).status_code == 303
    )
    assert "Muun palvelu" not in client.get("/palvelut").text
    session.expire_all()
    assert session.get(ProviderApproval, approval.id).reason == "Ei vakuutusta"


def test_admin_manages_categories(client, data, session):
    login_as(client, "p-admin")
    form = {"slug": "therapy", "name_fi": "Terapiat", "name_sv": "Terapier", "is_main": "true"}
    assert form_post(client, "/hallinto/luokat", form).status_code == 303
    r = form_post(client, "/hallinto/luokat", form | {"slug": "Bad Slug!"})
    assert r.status_code == 422 and 'id="f-slug-error"' in r.text
    form_post(client, "/hallinto/luokat", form | {"name_en": "Therapy"})
    cat = session.exec(select(Category).where(Category.slug == "therapy")).one()
    assert cat.name == {"fi": "Terapiat", "sv": "Terapier", "en": "Therapy"}


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "//evil.example",
        "https:/nohost",
        "ftp://x.fi",
    ],
)
def test_provider_website_must_be_an_http_address(client, data, session, website):
    login_as(client, "p-owner")
    form = {
        "name": "Verkko Oy",
        "business_id": "1572860-0",
        "description_fi": "Palveluja",
        "areas": "179",
        "organiser": "org-a",
    }
    r = form_post(client, "/tuottaja/rekisteroidy", form | {"website": website})
    assert r.status_code == 422 and 'id="f-website-error"' in r.text
    assert "https://" in r.text  # the translated hint names the allowed form
    assert session.exec(select(Provider).where(Provider.name == "Verkko Oy")).first() is None
    session.commit()  # end the read, so the next request can write
    r = form_post(client, "/tuottaja/rekisteroidy", form | {"website": "https://verkko.fi/x"})
    assert r.status_code == 303
    provider = session.exec(select(Provider).where(Provider.name == "Verkko Oy")).one()
    assert provider.website == "https://verkko.fi/x"


def test_listings_service_refuses_a_script_address(session):
    from app.services.catalogue import listings

    data = listings.ProviderInput("Skripti Oy", "1572860-0", website="javascript:alert(1)")
    with pytest.raises(listings.InvalidWebAddress):
        listings.save_provider(session, None, data)
    assert listings.web_address_valid("http://localhost:8000/a?b=1")
    assert not listings.web_address_valid("https://exa mple.fi")
