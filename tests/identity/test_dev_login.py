from app.config import Environment, Settings
from app.main import create_app
from tests.support.web import form_post, login_as


def test_dev_login_lists_personas_and_logs_in(client, demo):
    page = client.get("/login", headers={"Accept-Language": "fi"})
    assert page.status_code == 200
    assert "Aino Virtanen" in page.text and "Omatyöntekijä" in page.text
    login_as(client, "client")
    assert "Aino Virtanen" in client.get("/").text


def test_login_rotates_the_session(client, demo):
    login_as(client, "client")
    first = client.cookies.get("hebu_session")
    form_post(client, "/logout")
    login_as(client, "case-worker")
    assert client.cookies.get("hebu_session") != first


def test_dev_login_is_impossible_in_production(engine, demo):
    from fastapi.testclient import TestClient

    strong = "y" * 40
    settings = Settings(
        environment=Environment.production,
        dev_login=False,
        secret_key=strong,
        hetu_hash_key=strong,
        audit_key=strong,
        secure_cookies=True,
        database_url=str(engine.url),
    )
    with TestClient(create_app(settings, engine), base_url="https://testserver") as c:
        assert "Aino Virtanen" not in c.get("/login").text
        response = form_post(c, "/login/dev", {"persona": "client"})
    assert response.status_code == 404


def test_unknown_persona_is_404(client, demo):
    assert form_post(client, "/login/dev", {"persona": "nobody"}).status_code == 404
