"""Fuzz every route with the shapes of input that once broke Hebu: 0 server errors.

Every GET and POST route (walked from the app, so a new route is fuzzed without asking) gets
its query parameters and form fields (the names its module reads: declared parameters, form
models' fields, `.get("...")` / `.getlist("...")` and `f"prefix{...}"` names) filled with
integers beyond 64 bits, digits that are no ids, numbers that are no amounts, CR/LF, control
characters, empty and very long strings and odd unicode; path parameters get the same or a
small real-looking id. As an anonymous visitor and as the client, the case worker, the
organiser admin and a provider owner. Bounded (derandomized, a few examples) so it stays well
under a minute on SQLite.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from tests.support.web import api_routes, csrf_token, login_as

BAD = [
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "²",
    "١٢",
    "1e999",
    "Infinity",
    "-Infinity",
    "NaN",
    "9" * 40,
    "12,5e9999 €",
    "/oma\r\nSet-Cookie: evil=1",
    "\r\n",
    "\x00\x07",
    "",
    " ",
    "x" * 1500,
    "ä€😀\u202e\ufeff",
    "0",
    "-1",
    "2026-02-30",
    "99999-01-01",
]
PATH_IDS = ["1", "2", "3", "99999999999999999999", "²", "0", "-1", "Infinity", "ä"]
PERSONAS = [None, "client", "case-worker", "admin", "provider-owner"]
PUBLIC_TOO = {"anonymous", "client"}
# These end or switch the persona's login, so the walk would lose its role halfway.
SESSION_ROUTES = {"/logout", "/logout/everywhere", "/login/dev"}
SETTINGS = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
_NAME = r"[A-Za-z_][A-Za-z0-9_\-]*"
_READS = re.compile(rf"""\.get(?:list)?\(\s*["']({_NAME})["']""")
_PREFIXES = re.compile(rf"""f["']({_NAME}[_\-])\{{""")


@dataclass(frozen=True)
class Target:
    method: str
    path: str
    names: tuple[str, ...]


def _module_names(module: Any) -> set[str]:
    source = inspect.getsource(module)
    names = set(_READS.findall(source)) | {p + "1" for p in _PREFIXES.findall(source)}
    for value in vars(module).values():
        if inspect.isclass(value) and issubclass(value, BaseModel) and value is not BaseModel:
            names |= set(value.model_fields)
    return names


@cache
def _domain_names(module_name: str) -> set[str]:
    """The names read by the endpoint's module and its siblings (`params.py`, `*_forms.py`)."""
    package = module_name.rsplit(".", 1)[0]
    siblings = [m for name, m in list(sys.modules.items()) if name.rsplit(".", 1)[0] == package]
    return set().union(*(_module_names(m) for m in siblings if m is not None))


def _targets(app: FastAPI) -> list[Target]:
    targets: list[Target] = []
    for route in api_routes(app.routes):
        if not isinstance(route, APIRoute) or route.path in SESSION_ROUTES:
            continue
        names = _domain_names(route.endpoint.__module__) | {
            p.name for p in route.dependant.query_params
        }
        names |= {p.name for p in route.dependant.body_params}
        names -= {"csrftoken"}
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            targets.append(Target(method, route.path, tuple(sorted(names))))
    assert len(targets) > 120  # the walk reaches the included routers
    return targets


# Every one of these is sent to every field of every target once (the rest is drawn).
KILLERS = ["99999999999999999999", "²", "1e999", "NaN", "/oma\r\nSet-Cookie: evil=1"]


def _clients(app: FastAPI) -> Iterator[tuple[str, TestClient]]:
    for persona in PERSONAS:
        client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        if persona is not None:
            login_as(client, persona)
        yield persona or "anonymous", client


def _send(
    client: TestClient, target: Target, path_id: str, values: dict[str, str], htmx: bool
) -> Any:
    url = re.sub(r"\{[^}]+\}", quote(path_id, safe=""), target.path)
    headers = {"HX-Request": "true"} if htmx else {}
    if target.method == "GET":  # a query string is limited (httpx: 64 KiB): share it out
        room = 30_000 // max(1, len(values))
        return client.get(url, params={k: v[:room] for k, v in values.items()}, headers=headers)
    values = {**values, "csrftoken": csrf_token(client)}
    return client.request(target.method, url, data=values, headers=headers)


def _let_in(client: TestClient, target: Target) -> bool:
    """Whether this role gets past the route's access check (else its input is never read).
    A 403 may be another client's record rather than the wrong role; a path naming no
    record tells them apart (the role check runs first)."""
    answer = _send(client, target, "1", {}, htmx=False)
    to_login = answer.status_code == 303 and answer.headers["location"].startswith("/login")
    if answer.status_code == 401 or to_login:
        return False
    if answer.status_code != 403:
        return True
    return "{" in target.path and _send(client, target, KILLERS[0], {}, False).status_code != 403


def _fuzz(target: Target, client: TestClient, failures: list[str], who: str) -> None:
    names = st.sampled_from(target.names or ("q",))

    @given(
        fill=st.sampled_from(BAD),
        mixed=st.dictionaries(names, st.sampled_from(BAD), max_size=6),
        path_id=st.sampled_from(PATH_IDS + BAD[:12]),
        htmx=st.booleans(),
    )
    @SETTINGS
    def run(fill: str, mixed: dict[str, str], path_id: str, htmx: bool) -> None:
        values = {**dict.fromkeys(target.names, fill), **mixed}
        status = _send(client, target, path_id, values, htmx).status_code
        if status >= 500:
            failures.append(f"{target.method} {target.path} as {who}: {status} ({fill!r:.40})")

    for i, killer in enumerate(KILLERS):
        in_path = "{" in target.path and i < 3  # ids beyond 64 bits, "²", "1e999"
        for path_id in (killer, "1") if in_path else ("1",):
            run = example(fill=killer, mixed={}, path_id=path_id, htmx=i % 2 == 0)(run)
    run()


def test_no_input_gives_a_server_error(app: FastAPI, demo: None) -> None:
    clients = list(_clients(app))
    failures: list[str] = []
    for target in _targets(app):
        public = _let_in(clients[0][1], target)
        for who, client in clients:
            # A public page is fuzzed as a visitor and as a client (whose home municipality
            # changes the catalogue); the staff roles see the same page there.
            if (who in PUBLIC_TOO or not public) and _let_in(client, target):
                _fuzz(target, client, failures, who)
    found = sorted(set(failures))
    assert not found, f"{len(found)} server errors:\n" + "\n".join(found)
