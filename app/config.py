"""Settings: environment variables with the prefix HEBU_.

Production refuses the development login and default secrets, so a mis-deployed
instance fails at start-up instead of running insecurely.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - refused outside development


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HEBU_", env_file=None, extra="ignore")

    environment: Environment = Environment.development
    secret_key: str = DEFAULT_SECRET
    database_url: str = f"sqlite:///{ROOT / 'var' / 'hebu.db'}"
    base_url: str = "http://127.0.0.1:8000"
    dev_login: bool = True
    # Synthetic clients `hebu demo` adds to the demo county (tests use fewer).
    demo_cohort_size: int = 300
    secure_cookies: bool = False
    log_json: bool = False
    log_level: str = "INFO"

    # Search: the embedded engine unless a Meilisearch URL is given.
    meili_url: str | None = None
    meili_key: str | None = None

    # Payments (client's own share). Disabled unless a secret key is set.
    stripe_secret_key: str | None = None
    stripe_publishable_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None
    stripe_js_origin: str = "https://js.stripe.com"

    # OpenID Connect (organiser's broker / IdP).
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_scopes: str = "openid profile email"
    hetu_hash_key: str = DEFAULT_SECRET
    # Keys the audit chain (HMAC-SHA256): without it no one can rewrite the trail unnoticed.
    audit_key: str = DEFAULT_SECRET

    # Request bodies: the most bytes a route accepts (the Stripe webhook more, see
    # app/body_limit.py) and the seconds a client has to send the whole body.
    max_body_bytes: int = 1024 * 1024
    body_timeout_seconds: float = 30.0

    # Mail out (the notification outbox): no host, no e-mail is sent (it stays queued).
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "Hebu <noreply@hebu.invalid>"
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0

    session_idle_minutes: int = 30
    session_absolute_hours: int = 12

    # Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For and
    # X-Forwarded-Proto are believed. Empty: the connecting address is the client.
    trusted_proxies: Annotated[list[str], NoDecode] = []

    # Login, OIDC callback and invitation attempts per client address and window.
    rate_limit_attempts: int = 20
    rate_limit_window_seconds: int = 300

    # Background jobs: `hebu worker` runs them (production); the development server runs the
    # same loop in a thread unless this is false. Unset: true in development only.
    run_jobs_in_process: bool | None = None
    # Load the search index in the background at start. Unset: true except in tests.
    search_warm_up: bool | None = None
    worker_poll_seconds: float = 15.0

    # `hebu serve`: web worker processes (the --workers option wins) and the seconds a
    # stopping server gives requests under way to finish.
    workers: int = 1
    graceful_shutdown_seconds: float = 20.0
    # /metrics for anyone sending "Authorization: Bearer <token>" (loopback needs none).
    metrics_token: str | None = None

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_addresses(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            for address in value:
                ipaddress.ip_network(str(address), strict=False)  # ValueError names it
        return value

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.environment is Environment.production:
            problems: list[str] = []
            if self.dev_login:
                problems.append("HEBU_DEV_LOGIN must be false in production")
            if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32:
                problems.append("HEBU_SECRET_KEY must be set to a random value of 32+ characters")
            if self.hetu_hash_key == DEFAULT_SECRET or len(self.hetu_hash_key) < 32:
                problems.append(
                    "HEBU_HETU_HASH_KEY must be set to a random value of 32+ characters"
                )
            if self.audit_key == DEFAULT_SECRET or len(self.audit_key) < 32:
                problems.append("HEBU_AUDIT_KEY must be set to a random value of 32+ characters")
            if not self.secure_cookies:
                problems.append("HEBU_SECURE_COOKIES must be true in production")
            if problems:
                raise ValueError("; ".join(problems))
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def dev_login_enabled(self) -> bool:
        return self.dev_login and self.environment is not Environment.production

    @property
    def jobs_in_process(self) -> bool:
        if self.run_jobs_in_process is None:
            return self.environment is Environment.development
        return self.run_jobs_in_process

    @property
    def warm_search(self) -> bool:
        if self.search_warm_up is None:
            return self.environment is not Environment.test
        return self.search_warm_up

    @property
    def payments_enabled(self) -> bool:
        return bool(self.stripe_secret_key)


@lru_cache
def get_settings() -> Settings:
    return Settings()
