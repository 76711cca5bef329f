"""Catalogue pages and JSON API through HTTP."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from app.models.user import Membership, Role, User
from tests.catalogue import factories as f
from tests.support.web import login_as


@pytest.fixture
def data(engine):
    with Session(engine, expire_on_commit=False) as s:
        org = f.organiser(s)
        cat = f.category(s, org)
        prov = f.provider(s, org)
        offers = [
            f.offer(s, prov, cat, "Kotisiivous", 3500, extra_title={"sv": "Hemstädning"}),
            f.offer(s, prov, cat, "Ikkunanpesu", 9000, areas=["182"]),
            f.offer(s, prov, cat, "Fysioterapiaa", 7000, delivery_modes=["remote"]),
            f.offer(s, prov, cat, "Puheterapia", 8000, description={"fi": "<b>Hyvä</b>"}),
        ]
        user = User(display_name="Asiakas", dev_persona="cat-client")
        s.add(user)
        s.flush()
        s.add(
            Membership(
                user_id=user.id, role=Role.client, organiser_id=org.id, municipality_code="182"
            )
        )
        s.commit()
        return {"org": org, "cat": cat, "prov": prov, "offers": [o.id for o in offers]}


def test_search_page_without_js(client, data):
    r = client.get("/palvelut?q=fysoterapia&f=1")
    assert r.status_code == 200
    assert "Fysioterapiaa" in r.text
    assert "Kotisiivous" not in r.text
    assert 'role="search"' in r.text
    assert 'aria-live="polite"' in r.text
    assert 'name="q" type="search" value="fysoterapia"' in r.text


def test_htmx_renders_only_the_results_block(client, data):
    r = client.get("/palvelut?q=siivous", headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "<html" not in r.text
    assert "Kotisiivous" in r.text
    assert 'id="result-count" hx-swap-oob="innerHTML"' in r.text
    assert "1 service found" in r.text or "1 palvelu" in r.text


def test_facet_filters_and_counts(client, data):
    r = client.get("/palvelut?f=1&delivery=remote")
    assert "Fysioterapiaa" in r.text and "Kotisiivous" not in r.text
    r = client.get("/palvelut?f=1&municipality=182")
    assert "Ikkunanpesu" in r.text and "Kotisiivous" not in r.text
    r = client.get("/palvelut?f=1&price_max=50")
    assert "Kotisiivous" in r.text and "Ikkunanpesu" not in r.text
    api = client.get("/api/v1/catalogue/search").json()
    assert api["total"] == 4
    assert api["facets"]["delivery"] == {"home": 3, "remote": 1}
    assert api["facets"]["municipality"] == {"179": 3, "182": 1}


def test_client_municipality_is_preselected(client, data):
    login_as(client, "cat-client")
    r = client.get("/palvelut")
    assert "Ikkunanpesu" in r.text and "Kotisiivous" not in r.text
    assert 'id="fc-municipality-182" name="municipality" value="182" checked' in r.text
    r = client.get("/palvelut?f=1")  # cleared by the user
    assert "Kotisiivous" in r.text


def test_sort_and_pagination_state_in_query_string(client, data):
    r = client.get("/api/v1/catalogue/search?sort=price_desc")
    assert [h["title"] for h in r.json()["hits"]][:2] == ["Ikkunanpesu", "Puheterapia"]
    r = client.get("/palvelut?sort=price_asc&f=1")
    assert r.text.index("Kotisiivous") < r.text.index("Ikkunanpesu")


def test_offer_page(client, data):
    offer_id = data["offers"][3]
    r = client.get(f"/palvelut/{offer_id}")
    assert r.status_code == 200
    assert "Puheterapia" in r.text
    assert "<b>Hyvä</b>" in r.text
    assert "Not enough ratings yet" in r.text or "Ei vielä tarpeeksi" in r.text
    r = client.get(f"/palvelut/{offer_id}", headers={"Accept-Language": "sv"})
    assert 'lang="fi"' in r.text  # the title is shown in Finnish with a note


def test_offer_api(client, data):
    r = client.get(f"/api/v1/catalogue/offers/{data['offers'][0]}")
    body = r.json()
    assert body["price_cents"] == 3500
    assert body["monthly_cents"] == 8 * 3500
    assert body["title"] == {"fi": "Kotisiivous", "sv": "Hemstädning"}
    assert client.get("/api/v1/catalogue/offers/999999").status_code == 404
    hit = client.get("/api/v1/catalogue/search?q=hemstädning&lang=sv").json()["hits"][0]
    assert hit["title"] == "Hemstädning" and hit["title_lang"] == "sv"


def test_openapi_documents_the_catalogue(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/catalogue/search" in paths
    assert "/api/v1/catalogue/offers/{offer_id}" in paths
    params = {p["name"] for p in paths["/api/v1/catalogue/search"]["get"]["parameters"]}
    assert {
        "q",
        "category",
        "municipality",
        "language",
        "delivery",
        "sort",
        "page",
        "lang",
    } <= params


def test_compare_up_to_three(client, data):
    ids = data["offers"]
    r = client.get("/palvelut/vertaa?" + "&".join(f"offer={i}" for i in ids))
    assert r.status_code == 200
    assert r.text.count('scope="col"') == 3
    assert "up to 3" in r.text or "enintään 3" in r.text


def test_provider_page(client, data):
    r = client.get(f"/palvelut/tuottajat/{data['prov'].id}")
    assert r.status_code == 200 and "Testi Oy" in r.text and "Kotisiivous" in r.text
    assert client.get("/palvelut/tuottajat/99999").status_code == 404


def test_back_to_services_returns_to_the_same_search(client, data):
    import html
    import re

    page = client.get("/palvelut?f=1&q=terapia&delivery=remote&sort=price_asc")
    link = re.search(r'href="(/palvelut/\d+\?back=[^"]+)"', page.text)
    assert link is not None, "each result links to its offer with the search it came from"
    offer = client.get(html.unescape(link.group(1)))
    back = re.search(r'href="(/palvelut[^"]*)">[^<]*(Back to services|Takaisin)', offer.text)
    assert back is not None
    target = html.unescape(back.group(1))
    assert target.startswith("/palvelut?")
    for part in ("q=terapia", "delivery=remote", "sort=price_asc"):
        assert part in target
    # The comparison carries the search too.
    assert 'name="back" value="f=1&amp;q=terapia' in page.text
    compared = client.get(f"/palvelut/vertaa?offer={data['offers'][2]}&back=f%3D1%26q%3Dterapia")
    assert 'href="/palvelut?f=1&amp;q=terapia"' in compared.text


@pytest.mark.parametrize(
    "back", ["https://evil.example/x", "//evil.example", "next=/admin&q=x", "q=" + "x" * 500]
)
def test_back_to_services_only_returns_to_the_catalogue(client, data, back):
    from urllib.parse import quote

    offer = client.get(f"/palvelut/{data['offers'][0]}?back={quote(back)}")
    hrefs = re.findall(r'href="([^"]*)">[^<]*(?:Back to services|Takaisin)', offer.text)
    assert hrefs and all(h.startswith("/palvelut") and "evil" not in h for h in hrefs)
    assert all(len(h) < 300 and "admin" not in h for h in hrefs)
