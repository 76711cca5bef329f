"""The real OIDC flow against a loopback oidc-provider, and every way it must fail cleanly."""

import base64
import hashlib
import logging
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.config import Environment, Settings
from app.main import create_app
from app.models.user import User
from app.services.identity import idp
from app.services.identity import oidc as auth
from tests.conftest import TEST_SECRET
from tests.support import oidc
from tests.support.web import form_post

FI = {"Accept-Language": "fi"}
HETU = "010190-123A"


@pytest.fixture(scope="session")
def provider() -> Iterator[oidc.OidcProvider]:
    yield from oidc.start_provider()


def _settings(db_url: str, issuer: str) -> Settings:
    return Settings(
        environment=Environment.test,
        database_url=db_url,
        secret_key=TEST_SECRET,
        hetu_hash_key=TEST_SECRET,
        base_url=oidc.APP_BASE,
        dev_login=False,
        oidc_issuer=issuer,
        oidc_client_id=oidc.CLIENT_ID,
        oidc_client_secret=oidc.CLIENT_SECRET,
    )


@pytest.fixture
def oidc_settings(db_url, provider) -> Settings:
    return _settings(db_url, provider.issuer)


@pytest.fixture
def web(oidc_settings, engine, provider) -> Iterator[TestClient]:
    oidc.control(provider, "reset")
    app = create_app(oidc_settings, engine)
    with TestClient(app, base_url=oidc.APP_BASE, follow_redirects=False) as c:
        yield c


def _start(web: TestClient, next_path: str = "/oma/valtuutukset") -> str:
    response = web.get(f"/auth/oidc/start?next={next_path}")
    assert response.status_code == 303
    location = response.headers["location"]
    query = parse_qs(urlparse(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    return location


def _users(engine) -> list[User]:
    with Session(engine) as s:
        return list(s.exec(select(User).where(col(User.oidc_subject).is_not(None))).all())


def test_real_flow_logs_in_and_stores_only_a_hetu_hash(web, engine, oidc_settings, caplog):
    caplog.set_level(logging.DEBUG)
    callback = oidc.login_at_provider(_start(web))
    assert HETU not in callback
    response = web.get(callback)
    assert response.status_code == 303 and response.headers["location"] == "/oma/valtuutukset"
    (user,) = _users(engine)
    assert user.oidc_issuer == oidc_settings.oidc_issuer and user.oidc_subject == "test-client"
    assert user.display_name == "Testi Asiakas"
    assert user.hetu_hash == auth.hetu_hash(oidc_settings, HETU) and HETU not in user.hetu_hash
    assert HETU not in caplog.text
    assert "Testi Asiakas" in web.get("/").text
    # The same person again: matched by (issuer, subject), no duplicate.
    web.cookies.clear()
    web.get(oidc.login_at_provider(_start(web)))
    assert len(_users(engine)) == 1


def test_logout_goes_to_the_idp_without_an_id_token(web):
    web.get(oidc.login_at_provider(_start(web)))
    response = form_post(web, "/logout")
    location = response.headers["location"]
    assert response.status_code == 303 and "/session/end" in location
    assert "client_id=hebu" in location and "id_token_hint" not in location
    assert "Log in" in web.get("/").text or "Kirjaudu" in web.get("/").text


def test_wrong_state_is_refused_with_a_way_forward(web, engine):
    callback = oidc.login_at_provider(_start(web))
    tampered = callback.replace("state=", "state=x")
    response = web.get(tampered, headers=FI)
    assert response.status_code == 400
    assert 'href="/login"' in response.text
    assert _users(engine) == []


def test_wrong_code_verifier_is_refused(web, engine, caplog):
    callback = oidc.login_at_provider(_start(web))
    oidc.edit_pending_login(web, TEST_SECRET, lambda d: d.update(cv="x" * 64))
    response = web.get(callback, headers=FI)
    assert response.status_code == 400 and 'href="/login"' in response.text
    assert "token exchange refused" in caplog.text  # refused by the IdP, not by our state check
    assert _users(engine) == []


def test_bad_nonce_is_refused(web, engine, caplog):
    callback = oidc.login_at_provider(_start(web))
    oidc.edit_pending_login(web, TEST_SECRET, lambda d: d.update(nonce="other"))
    response = web.get(callback, headers=FI)
    assert response.status_code == 400
    assert "ID token rejected" in caplog.text
    assert _users(engine) == []


def _refused(web: TestClient, engine, caplog, callback: str) -> None:  # noqa: ANN001
    response = web.get(callback, headers=FI)
    assert response.status_code == 400
    assert "Kirjautumista ei voitu viedä loppuun" in response.text
    assert 'href="/login"' in response.text
    assert "ID token rejected" in caplog.text
    assert "Testi Asiakas" not in web.get("/").text
    assert _users(engine) == []


@pytest.mark.parametrize("tamper", ["payload", "signature"])
def test_tampered_id_token_is_refused(web, engine, provider, caplog, tamper):
    callback = oidc.login_at_provider(_start(web))
    oidc.control(provider, "forge", {"tamper": tamper})
    _refused(web, engine, caplog, callback)


def _forged_claims(case: str) -> dict[str, object]:
    now = int(time.time())
    return {
        "wrong audience": {"aud": "someone-else"},
        "shared audience without azp": {"aud": [oidc.CLIENT_ID, "someone-else"]},
        "wrong azp": {"azp": "someone-else"},
        "wrong issuer": {"iss": "http://127.0.0.1:9"},
        "wrong nonce": {"nonce": "other"},
        "expired": {"exp": now - 3600, "iat": now - 7200},
        "issued in the future": {"iat": now + 3600, "exp": now + 7200},
        "no iat": {"iat": None},
    }[case]


@pytest.mark.parametrize(
    "case",
    [
        "wrong audience",
        "shared audience without azp",
        "wrong azp",
        "wrong issuer",
        "wrong nonce",
        "expired",
        "issued in the future",
        "no iat",
    ],
)
def test_validly_signed_token_with_wrong_claims_is_refused(web, engine, provider, caplog, case):
    callback = oidc.login_at_provider(_start(web))
    oidc.control(provider, "forge", {"claims": _forged_claims(case)})
    _refused(web, engine, caplog, callback)


def test_a_reforged_token_with_right_claims_logs_in(web, engine, provider):
    # The control for the cases above: the forge itself yields a token the app accepts.
    callback = oidc.login_at_provider(_start(web))
    oidc.control(provider, "forge", {"claims": {}})
    assert web.get(callback).status_code == 303
    assert len(_users(engine)) == 1


@pytest.mark.parametrize(
    "forge",
    [{"alg": "none"}, {"alg": "HS256", "secret": oidc.CLIENT_SECRET}],
    ids=["none", "HS256 with the client secret"],
)
def test_unsigned_or_symmetric_tokens_are_refused(web, engine, provider, caplog, forge):
    callback = oidc.login_at_provider(_start(web))
    oidc.control(provider, "forge", forge)
    _refused(web, engine, caplog, callback)


def test_login_works_across_a_key_rotation(web, engine, provider):
    web.get(oidc.login_at_provider(_start(web)))  # the current key is in the app's cache
    before = oidc.control(provider, "stats")
    web.cookies.clear()
    assert web.get(oidc.login_at_provider(_start(web))).status_code == 303
    assert oidc.control(provider, "stats")["jwks_requests"] == before["jwks_requests"]  # cached
    rotated = oidc.control(provider, "rotate")
    assert rotated["kid"] != before["kid"]
    web.cookies.clear()
    response = web.get(oidc.login_at_provider(_start(web)))
    assert response.status_code == 303 and response.headers["location"] == "/oma/valtuutukset"
    assert "Testi Asiakas" in web.get("/").text
    # The unknown key id made the app fetch the keys once, and they are cached again.
    assert oidc.control(provider, "stats")["jwks_requests"] == before["jwks_requests"] + 1
    web.cookies.clear()
    web.get(oidc.login_at_provider(_start(web)))
    assert oidc.control(provider, "stats")["jwks_requests"] == before["jwks_requests"] + 1
    assert len(_users(engine)) == 1


def test_token_signed_by_an_unknown_key_is_refused_after_one_refetch(web, engine, provider, caplog):
    callback = oidc.login_at_provider(_start(web))
    before = oidc.control(provider, "stats")["jwks_requests"]
    oidc.control(provider, "forge", {"key": "stranger"})
    _refused(web, engine, caplog, callback)
    assert oidc.control(provider, "stats")["jwks_requests"] == before + 1


def test_discovery_and_keys_are_cached_until_their_ttl(oidc_settings, provider, monkeypatch):
    # Start cold: an earlier test (another engine's run) may have filled the process's caches
    # while its clock was moved ahead, with entries that outlive this test's "later".
    monkeypatch.setattr(idp, "_metadata_cache", {})
    monkeypatch.setattr(idp, "_jwks_cache", {})
    meta = idp.metadata(oidc_settings)
    idp.key_set(meta)
    before = oidc.control(provider, "stats")
    assert idp.metadata(oidc_settings) == meta and idp.key_set(meta).keys
    assert oidc.control(provider, "stats") == before
    later = idp._now() + idp.METADATA_TTL + 1
    monkeypatch.setattr(idp, "_now", lambda: later)
    assert idp.metadata(oidc_settings)["issuer"] == meta["issuer"]
    idp.key_set(meta)
    after = oidc.control(provider, "stats")
    assert after["discovery_requests"] == before["discovery_requests"] + 1
    assert after["jwks_requests"] == before["jwks_requests"]  # the keys live longer
    monkeypatch.setattr(idp, "_now", lambda: later + idp.JWKS_TTL)
    idp.key_set(meta)
    assert oidc.control(provider, "stats")["jwks_requests"] == before["jwks_requests"] + 1


def test_the_pkce_verifier_is_sent_and_matches_the_challenge(web, provider):
    location = _start(web)
    pending: dict[str, str] = {}
    oidc.edit_pending_login(web, TEST_SECRET, pending.update)
    challenge = parse_qs(urlparse(location).query)["code_challenge"][0]
    digest = hashlib.sha256(pending["cv"].encode()).digest()
    assert challenge == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert web.get(oidc.login_at_provider(location)).status_code == 303
    assert oidc.control(provider, "stats")["code_verifier"] == pending["cv"]


def test_idp_that_is_down_gives_a_clear_page(db_url, engine):
    settings = _settings(db_url, "http://127.0.0.1:9")
    with TestClient(create_app(settings, engine), base_url=oidc.APP_BASE) as web:
        response = web.get("/auth/oidc/start", headers=FI, follow_redirects=False)
    assert response.status_code == 503
    assert 'href="/login"' in response.text


def test_oidc_routes_are_404_when_not_configured(client):
    assert client.get("/auth/oidc/start").status_code == 404
    assert client.get("/auth/oidc/callback?code=x&state=y").status_code == 404


def test_a_pre_registered_client_is_linked_by_hetu_hash(web, engine, oidc_settings):
    with Session(engine) as s:
        known = User(display_name="Ennalta Kirjattu", hetu_hash=auth.hetu_hash(oidc_settings, HETU))
        s.add(known)
        s.commit()
        known_id = known.id
    web.get(oidc.login_at_provider(_start(web)))
    (user,) = _users(engine)
    assert user.id == known_id and user.display_name == "Ennalta Kirjattu"
    assert user.oidc_subject == "test-client"


def test_login_page_offers_strong_identification(web):
    page = web.get("/login?next=/oma/valtuutukset", headers=FI)
    assert 'href="/auth/oidc/start?next=/oma/valtuutukset"' in page.text.replace("%2F", "/")


def test_the_app_starts_without_deprecation_warnings():
    # authlib falls back to the deprecated httpx (and warns on every start) without httpx2.
    import subprocess
    import sys

    started = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", "import app.main"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stderr[-2000:]
