"""Login attempts are limited per address, counted in the database (shared by processes)."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.main import create_app
from app.models.identity import RateLimitHit
from tests.support.web import form_post

FI = {"Accept-Language": "fi"}


def _app(settings, engine):  # noqa: ANN001, ANN202
    limited = settings.model_copy(update={"rate_limit_attempts": 3})
    return TestClient(create_app(limited, engine), follow_redirects=False)


def test_too_many_logins_get_a_translated_429_even_when_they_failed(settings, engine, demo):
    with _app(settings, engine) as web:
        assert form_post(web, "/login/dev", {"persona": "nobody"}).status_code == 404
        assert form_post(web, "/login/dev", {"persona": "nobody"}).status_code == 404
        assert form_post(web, "/login/dev", {"persona": "client"}).status_code == 303
        refused = form_post(web, "/login/dev", {"persona": "client"}, headers=FI)
    assert refused.status_code == 429
    assert "Liian monta yritystä" in refused.text
    with Session(engine) as s:
        buckets = {h.bucket for h in s.exec(select(RateLimitHit)).all()}
    assert all("testclient" not in b for b in buckets)  # the address is stored hashed


def test_the_count_is_shared_by_app_processes(settings, engine, demo):
    with _app(settings, engine) as first, _app(settings, engine) as second:
        form_post(first, "/login/dev", {"persona": "client"})
        form_post(second, "/login/dev", {"persona": "client"})
        form_post(first, "/login/dev", {"persona": "client"})
        assert form_post(second, "/login/dev", {"persona": "client"}).status_code == 429


def test_old_attempts_fall_out_of_the_window(settings, engine, demo):
    limited = settings.model_copy(update={"rate_limit_attempts": 1, "rate_limit_window_seconds": 0})
    with TestClient(create_app(limited, engine), follow_redirects=False) as web:
        assert form_post(web, "/login/dev", {"persona": "client"}).status_code == 303
        assert form_post(web, "/login/dev", {"persona": "client"}).status_code == 303
