"""A real OIDC provider process (npm oidc-provider) on loopback, and a browserless login."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import itsdangerous
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
APP_BASE = "http://testserver"
CLIENT_ID = "hebu"
CLIENT_SECRET = "hebu-test-secret"  # noqa: S105 - the test provider's client


@dataclass
class OidcProvider:
    issuer: str
    process: subprocess.Popen[str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_provider() -> Iterator[OidcProvider]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        raise RuntimeError("node and node_modules/oidc-provider are needed (make node-deps)")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [node, str(SCRIPT), str(port), f"{APP_BASE}/auth/oidc/callback", f"{APP_BASE}/"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(issuer + "/.well-known/openid-configuration", timeout=1).is_success:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("the OIDC test provider did not start")
    try:
        yield OidcProvider(issuer, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def control(provider: OidcProvider, action: str, body: dict[str, Any] | None = None) -> Any:
    """Drive the test provider: rotate, forge, reset (POST) or stats (GET); see the script."""
    url = f"{provider.issuer}/__test/{action}"
    if action == "stats":
        response = httpx.get(url, timeout=5)
    else:
        response = httpx.post(url, json=body or {}, timeout=5)
    response.raise_for_status()
    return response.json()


def login_at_provider(start_location: str, account: str = "test-client") -> str:
    """Follow the IdP's pages like a browser; returns the callback URL it sends us to."""
    with httpx.Client(follow_redirects=False, timeout=10) as idp:
        url = start_location
        response = idp.get(url)
        for _ in range(10):
            location = response.headers.get("location")
            if location is None:
                match = re.search(r'<form[^>]*action="([^"]+)"', response.text)
                assert match, f"no login form at the provider: {response.status_code}"
                url = urljoin(url, match.group(1).replace("&amp;", "&"))
                response = idp.post(
                    url, data={"prompt": "login", "login": account, "password": "x"}
                )
                continue
            url = urljoin(url, location)
            if url.startswith(APP_BASE):
                return url
            response = idp.get(url)
    raise AssertionError("the provider never redirected back")


def edit_pending_login(
    client: TestClient, secret: str, change: Callable[[dict[str, Any]], None]
) -> None:
    """Change the signed pending-login cookie as a tampering browser with the key could."""
    from app.routes.identity.oidc import PENDING_COOKIE, PENDING_PATH, PENDING_SALT

    signer = itsdangerous.URLSafeTimedSerializer(secret, salt=PENDING_SALT)
    raw = client.cookies.get(PENDING_COOKIE)
    assert raw
    data = signer.loads(raw)
    change(data)
    client.cookies.delete(PENDING_COOKIE, path=PENDING_PATH)
    client.cookies.set(PENDING_COOKIE, signer.dumps(data), path=PENDING_PATH)
