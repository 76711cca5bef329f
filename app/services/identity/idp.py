"""The organiser's identity provider as the login sees it: its errors, discovery and keys.

Discovery is validated with authlib (`OpenIDProviderMetadata`) and kept `METADATA_TTL`
seconds. The signing keys (JWKS, imported with joserfc) are kept until a token names a key
the cache does not hold: the IdP rotated its keys, so they are fetched once more before the
token is refused (`verified_token`), and at most `JWKS_TTL` seconds in any case.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import httpx2
from authlib.oidc.discovery import OpenIDProviderMetadata, get_well_known_url
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError
from joserfc.jwk import KeySet

from app.config import Settings
from app.errors import AppError
from app.i18n import lazy_gettext

log = logging.getLogger("hebu.auth")
TIMEOUT = 5.0
METADATA_TTL = 300.0
JWKS_TTL = 3600.0
# Asymmetric signatures only: never `none`, never HS* (an HMAC "signed" with a public key).
ALLOWED_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)

_lock = threading.Lock()
_metadata_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks_cache: dict[str, tuple[float, KeySet]] = {}


class OidcError(AppError):
    """The login could not be completed; the user can simply try again."""

    status_code = 400

    default_text = lazy_gettext(
        "The login could not be completed. Nothing was saved. Please try logging in again."
    )


class OidcUnavailable(OidcError):
    status_code = 503

    default_text = lazy_gettext(
        "The identification service is not answering right now. Nothing was saved. "
        "Please try again in a moment."
    )


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = httpx2.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        data = response.json()
    except (httpx2.HTTPError, ValueError) as exc:
        log.warning("identity provider unreachable", extra={"error": type(exc).__name__})
        raise OidcUnavailable() from exc
    if not isinstance(data, dict):
        raise OidcUnavailable()
    return data


def _now() -> float:
    return time.monotonic()


def _cached(cache: dict[str, tuple[float, Any]], key: str) -> Any | None:
    with _lock:
        entry = cache.get(key)
    return entry[1] if entry and entry[0] > _now() else None


def _store(cache: dict[str, tuple[float, Any]], key: str, ttl: float, value: Any) -> None:
    with _lock:
        cache[key] = (_now() + ttl, value)


def metadata(settings: Settings) -> dict[str, Any]:
    """The IdP's discovery document, checked to name this issuer and what the login uses."""
    issuer = (settings.oidc_issuer or "").rstrip("/")
    cached = _cached(_metadata_cache, issuer)
    if cached is not None:
        return dict(cached)
    data = OpenIDProviderMetadata(_get_json(get_well_known_url(issuer, external=True)))
    try:
        data.validate()
    except ValueError as exc:
        log.warning("identity provider metadata refused", extra={"error": str(exc)[:200]})
        raise OidcUnavailable() from exc
    if str(data["issuer"]).rstrip("/") != issuer or not algorithms(data):
        log.warning("identity provider metadata refused", extra={"error": "issuer or algs"})
        raise OidcUnavailable()
    _store(_metadata_cache, issuer, METADATA_TTL, dict(data))
    return dict(data)


def algorithms(meta: dict[str, Any]) -> list[str]:
    """The ID-token algorithms the IdP offers that we accept (RS256 is the OIDC default)."""
    offered = meta.get("id_token_signing_alg_values_supported") or ["RS256"]
    return [alg for alg in ALLOWED_ALGORITHMS if alg in offered]


def key_set(meta: dict[str, Any], *, refresh: bool = False) -> KeySet:
    """The IdP's public signing keys, cached; `refresh` fetches them again."""
    uri = str(meta["jwks_uri"])
    cached = None if refresh else _cached(_jwks_cache, uri)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    try:
        keys = KeySet.import_key_set(_get_json(uri))  # type: ignore[arg-type]
    except (ValueError, KeyError, TypeError) as exc:
        raise OidcUnavailable() from exc
    if any(key.is_private for key in keys.keys) or any(key.key_type == "oct" for key in keys.keys):
        raise OidcUnavailable()  # a JWKS publishing private or symmetric keys is not an IdP's
    _store(_jwks_cache, uri, JWKS_TTL, keys)
    return keys


def verified_token(raw: str, meta: dict[str, Any]) -> jwt.Token:
    """The ID token with its signature checked; an unknown key id refetches the keys once.

    Raises joserfc's errors (or ValueError) for a token that does not verify.
    """
    allowed = algorithms(meta)
    try:
        return jwt.decode(raw, key_set(meta), algorithms=allowed)
    except InvalidKeyIdError:
        log.info("ID token names an unknown key; fetching the IdP's keys again")
        return jwt.decode(raw, key_set(meta, refresh=True), algorithms=allowed)
