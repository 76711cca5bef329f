"""OpenID Connect login with the organiser's IdP, through authlib's client.

Authorization code flow: authlib's `OAuth2Client` builds the authorization URL (state, nonce,
PKCE S256) and exchanges the code with the verifier; the ID token's signature is checked
against the IdP's keys (`idp`: discovery and JWKS, cached, refetched on key rotation) and its
claims with authlib's `CodeIDToken` (iss, aud, azp, exp, iat, nonce, at_hash). The national
identity number (hetu), if sent, is kept only as an HMAC keyed hash: never logged, never put
in a URL, never stored in the session.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx2
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oidc.core import CodeIDToken
from joserfc.errors import JoseError
from sqlmodel import Session, select

from app.config import Settings
from app.i18n import lazy_gettext
from app.models.base import utcnow
from app.models.user import User
from app.services.identity import idp
from app.services.identity.idp import OidcError, OidcUnavailable

__all__ = ["OidcError", "OidcUnavailable", "PendingLogin", "begin", "complete"]

log = logging.getLogger("hebu.auth")
LEEWAY = 60  # seconds of clock difference allowed for exp and iat


@dataclass(frozen=True)
class PendingLogin:
    """Kept in the user's session between start and callback."""

    state: str
    nonce: str
    code_verifier: str
    next: str

    def to_dict(self) -> dict[str, str]:
        return {
            "state": self.state,
            "nonce": self.nonce,
            "cv": self.code_verifier,
            "next": self.next,
        }

    @classmethod
    def from_dict(cls, data: Any) -> PendingLogin | None:
        if not isinstance(data, dict) or not all(data.get(k) for k in ("state", "nonce", "cv")):
            return None
        return cls(data["state"], data["nonce"], data["cv"], str(data.get("next") or "/"))


def enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def redirect_uri(settings: Settings) -> str:
    return settings.base_url.rstrip("/") + "/auth/oidc/callback"


def metadata(settings: Settings) -> dict[str, Any]:
    return idp.metadata(settings)


def _client(settings: Settings) -> OAuth2Client:
    return OAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        scope=settings.oidc_scopes,
        redirect_uri=redirect_uri(settings),
        token_endpoint_auth_method="client_secret_post",
        code_challenge_method="S256",
        timeout=idp.TIMEOUT,
    )


def begin(settings: Settings, next_path: str) -> tuple[str, PendingLogin]:
    """The IdP authorization URL (state, nonce, S256 challenge) and what to remember."""
    meta = metadata(settings)
    pending = PendingLogin(
        state=generate_token(32),
        nonce=generate_token(32),
        code_verifier=generate_token(64),
        next=next_path,
    )
    with _client(settings) as client:
        url, _state = client.create_authorization_url(
            meta["authorization_endpoint"],
            state=pending.state,
            nonce=pending.nonce,
            code_verifier=pending.code_verifier,
        )
    return url, pending


def verify_id_token(
    settings: Settings, token: dict[str, Any], nonce: str, meta: dict[str, Any]
) -> dict[str, Any]:
    """The ID token's claims, after its signature, issuer, audience, times and nonce."""
    raw = token.get("id_token")
    if not isinstance(raw, str):
        raise OidcError()
    client_id = settings.oidc_client_id
    try:
        decoded = idp.verified_token(raw, meta)
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "value": meta["issuer"]},
                "aud": {"essential": True, "value": client_id},
                "sub": {"essential": True},
                "nonce": {"essential": True, "value": nonce},
            },
            {"nonce": nonce, "client_id": client_id, "access_token": token.get("access_token")},
        )
        claims.validate(leeway=LEEWAY)
    except (JoseError, ValueError) as exc:
        log.warning("ID token rejected", extra={"error": type(exc).__name__})
        raise OidcError() from exc
    return dict(claims)


def complete(
    settings: Settings, pending: PendingLogin | None, params: dict[str, str]
) -> dict[str, Any]:
    """Check the callback, exchange the code (with the PKCE verifier), verify the ID token."""
    state = params.get("state", "")
    if pending is None or not state or not secrets.compare_digest(state, pending.state):
        raise OidcError(
            lazy_gettext(
                "The login link had expired or was opened in another browser. Nothing was "
                "saved. Please start the login again."
            )
        )
    if params.get("error") or not params.get("code"):
        raise OidcError()
    meta = metadata(settings)
    try:
        with _client(settings) as client:
            token = client.fetch_token(
                meta["token_endpoint"],
                code=params["code"],
                code_verifier=pending.code_verifier,
                grant_type="authorization_code",
            )
    except httpx2.TransportError as exc:
        raise OidcUnavailable() from exc
    except Exception as exc:  # the IdP refused the code (wrong verifier, reused code…)
        log.warning("token exchange refused", extra={"error": type(exc).__name__})
        raise OidcError() from exc
    return verify_id_token(settings, dict(token), pending.nonce, meta)


def hetu_hash(settings: Settings, hetu: str) -> str:
    key = settings.hetu_hash_key.encode()
    return hmac.new(key, hetu.strip().upper().encode(), hashlib.sha256).hexdigest()


def user_for_claims(session: Session, settings: Settings, claims: dict[str, Any]) -> User:
    """The user with this (issuer, subject); a pre-registered user is linked by hetu hash."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    user = session.exec(
        select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject)
    ).first()
    hashed = hetu_hash(settings, str(claims["hetu"])) if claims.get("hetu") else None
    if user is None and hashed:
        user = session.exec(select(User).where(User.hetu_hash == hashed)).first()
        if user is not None and user.oidc_subject not in (None, subject):
            raise OidcError()
    if user is None:
        user = User(display_name=str(claims.get("name") or subject)[:200])
    user.oidc_issuer, user.oidc_subject = issuer, subject
    if hashed:
        user.hetu_hash = hashed
    if claims.get("email") and not user.email:
        user.email = str(claims["email"])[:320]
    if claims.get("locale") and not user.locale:
        user.locale = str(claims["locale"])[:10]
    user.last_login_at = utcnow()
    session.add(user)
    session.flush()
    return user


def logout_url(settings: Settings, post_logout_redirect: str) -> str | None:
    """The IdP's RP-initiated logout URL (client_id, never an ID token with a hetu in it)."""
    try:
        endpoint = metadata(settings).get("end_session_endpoint")
    except OidcUnavailable:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {"client_id": settings.oidc_client_id, "post_logout_redirect_uri": post_logout_redirect}
    )
    return f"{endpoint}?{query}"
