"""The public shell: pages, locale, errors, CSRF, HTMX fragments, security headers."""

import re

import pytest
from fastapi import APIRouter, Request

from app.errors import AppError
from app.templating import render
from tests.support.web import csrf_token, form_post


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("fi", "Oma budjetti tarvitsemiisi palveluihin"), ("sv", "En egen budget för de tjänster")],
)
def test_landing_page_in_the_users_language(client, lang, heading):
    response = client.get("/", headers={"Accept-Language": lang})
    assert response.status_code == 200
    assert response.headers["content-language"] == lang
    assert f'<html lang="{lang}">' in response.text
    assert heading in response.text
    assert "Accept-Language" in response.headers.get("vary", "")


@pytest.mark.parametrize("path", ["/saavutettavuus", "/tietosuoja"])
def test_statement_pages_exist_in_swedish(client, path):
    response = client.get(path, headers={"Accept-Language": "sv"})
    assert response.status_code == 200
    assert ("Tillgänglighetsutlåtande" in response.text) or (
        "Dataskyddsbeskrivning" in response.text
    )


def test_language_switch_keeps_the_page_and_sets_a_cookie(client):
    response = client.get("/lang/sv", params={"next": "/saavutettavuus"})
    assert response.status_code == 303
    assert response.headers["location"] == "/saavutettavuus"
    page = client.get("/saavutettavuus", headers={"Accept-Language": "fi"})
    assert page.headers["content-language"] == "sv"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil"])
def test_language_switch_refuses_open_redirects(client, target):
    response = client.get("/lang/fi", params={"next": target})
    assert response.headers["location"] == "/"


@pytest.mark.parametrize(
    ("lang", "text"), [("fi", "Sivua ei löytynyt"), ("sv", "Sidan hittades inte")]
)
def test_404_page_is_localized(client, lang, text):
    response = client.get("/no-such-page", headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert text in response.text
    assert response.headers["content-language"] == lang


def _add_test_routes(app):
    router = APIRouter()

    @router.get("/_boom")
    def boom() -> None:
        raise RuntimeError("SELECT secret FROM table")

    @router.get("/_conflict")
    def conflict() -> None:
        raise AppError("A domain rule said no.", status_code=409)

    @router.get("/_page")
    def page(request: Request):  # noqa: ANN202
        return render(
            request,
            "errors/error.html",
            {"status": 418, "title": "T", "message": "M"},
            block="content",
        )

    app.include_router(router)


@pytest.mark.parametrize(
    ("lang", "text"), [("fi", "Meillä tapahtui virhe"), ("sv", "Ett fel uppstod hos oss")]
)
def test_500_page_is_localized_and_hides_details(app, lang, text):
    from fastapi.testclient import TestClient

    _add_test_routes(app)
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/_boom", headers={"Accept-Language": lang})
    assert response.status_code == 500
    assert text in response.text
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text


def test_htmx_error_is_a_toast_fragment(app):
    from fastapi.testclient import TestClient

    _add_test_routes(app)
    with TestClient(app) as c:
        full = c.get("/_conflict")
        fragment = c.get("/_conflict", headers={"HX-Request": "true"})
    assert full.status_code == fragment.status_code == 409
    assert "<html" in full.text and "A domain rule said no." in full.text
    assert "<html" not in fragment.text
    assert 'class="toast' in fragment.text and "A domain rule said no." in fragment.text
    assert fragment.headers["HX-Retarget"] == "#toasts"


def test_htmx_request_gets_the_named_block_only(app):
    from fastapi.testclient import TestClient

    _add_test_routes(app)
    with TestClient(app) as c:
        full = c.get("/_page")
        fragment = c.get("/_page", headers={"HX-Request": "true"})
    assert "<html" in full.text and "<footer" in full.text
    assert "<html" not in fragment.text and "<footer" not in fragment.text
    assert "<h1>T</h1>" in fragment.text
    assert "HX-Request" in fragment.headers["vary"]


def test_post_without_csrf_token_is_rejected(client):
    csrf_token(client)  # the browser has the cookie, but the form lacks the token
    response = client.post("/logout", data={})
    assert response.status_code == 403


def test_post_without_any_cookie_is_rejected_on_login(client):
    response = client.post("/login/dev", data={"persona": "client"})
    assert response.status_code == 403


def test_post_with_csrf_token_is_accepted(client):
    response = form_post(client, "/logout")
    assert response.status_code == 303


def test_post_with_a_forged_token_is_rejected(client):
    csrf_token(client)
    response = client.post("/logout", data={"csrftoken": "forged"})
    assert response.status_code == 403


def test_htmx_post_carries_the_token_in_a_header(client):
    token = csrf_token(client)
    response = client.post("/logout", headers={"x-csrftoken": token, "HX-Request": "true"})
    assert response.status_code == 303


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-request-id"]


def test_page_uses_vendored_htmx_and_no_inline_script(client):
    html = client.get("/").text
    assert '<script src="/static/js/htmx.min.js' in html
    assert "<script>" not in html
    # Nothing is loaded from another origin (a CDN); the random CSRF token may contain "cdn".
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', html)
    assert client.get("/static/js/htmx.min.js").status_code == 200


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "up"


def test_readiness_reports_a_dead_database(tmp_path):
    from fastapi.testclient import TestClient

    from app.config import Environment, Settings
    from app.main import create_app

    settings = Settings(
        environment=Environment.test, database_url=f"sqlite:///{tmp_path}/missing/dir/x.db"
    )
    with TestClient(create_app(settings)) as c:
        response = c.get("/readyz")
    assert response.status_code == 503


def test_csrf_rejection_page_is_localized(client):
    csrf_token(client)
    response = client.post("/logout", data={}, headers={"Accept-Language": "sv"})
    assert response.status_code == 403
    assert "Formuläret hade gått ut" in response.text
    assert '<html lang="sv">' in response.text
