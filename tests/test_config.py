import pytest
from pydantic import ValidationError

from app.config import DEFAULT_SECRET, Environment, Settings

STRONG = "x" * 40


def test_production_refuses_dev_login():
    with pytest.raises(ValidationError, match="HEBU_DEV_LOGIN"):
        Settings(
            environment=Environment.production,
            dev_login=True,
            secret_key=STRONG,
            hetu_hash_key=STRONG,
            audit_key=STRONG,
            secure_cookies=True,
        )


def test_production_refuses_default_secret():
    with pytest.raises(ValidationError, match="HEBU_SECRET_KEY"):
        Settings(
            environment=Environment.production,
            dev_login=False,
            secret_key=DEFAULT_SECRET,
            hetu_hash_key=STRONG,
            audit_key=STRONG,
            secure_cookies=True,
        )


def test_production_refuses_default_audit_key():
    with pytest.raises(ValidationError, match="HEBU_AUDIT_KEY"):
        Settings(
            environment=Environment.production,
            dev_login=False,
            secret_key=STRONG,
            hetu_hash_key=STRONG,
            audit_key=DEFAULT_SECRET,
            secure_cookies=True,
        )


def test_production_refuses_insecure_cookies():
    with pytest.raises(ValidationError, match="HEBU_SECURE_COOKIES"):
        Settings(
            environment=Environment.production,
            dev_login=False,
            secret_key=STRONG,
            hetu_hash_key=STRONG,
            audit_key=STRONG,
            secure_cookies=False,
        )


def test_production_accepts_a_proper_configuration():
    settings = Settings(
        environment=Environment.production,
        dev_login=False,
        secret_key=STRONG,
        hetu_hash_key=STRONG,
        audit_key=STRONG,
        secure_cookies=True,
    )
    assert not settings.dev_login_enabled


def test_environment_variables_use_the_hebu_prefix(monkeypatch):
    monkeypatch.setenv("HEBU_ENVIRONMENT", "production")
    monkeypatch.setenv("HEBU_DEV_LOGIN", "true")
    monkeypatch.setenv("HEBU_SECRET_KEY", STRONG)
    monkeypatch.setenv("HEBU_HETU_HASH_KEY", STRONG)
    monkeypatch.setenv("HEBU_SECURE_COOKIES", "true")
    with pytest.raises(ValidationError):
        Settings()


def test_development_defaults_enable_dev_login():
    assert Settings(environment=Environment.development).dev_login_enabled
