"""Every route × every role gets the expected status; a route without a case fails.

Runs on SQLite only: access rules do not depend on the engine, and each mutating case gets a
fresh database per role.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

import tests.authz as authz_pkg
from app.config import Environment, Settings
from app.db import make_engine
from app.main import create_app
from tests.authz.world import ROLES, Case, World, build_world, persona_key
from tests.support.web import api_routes, csrf_token, form_post

# Routes that are not part of the matrix: framework docs and static files.
UNCHECKED = {"/api/openapi.json", "/api/docs", "/api/docs/oauth2-redirect", "/static"}
SECRET = "authz-secret-key-0123456789abcdef0123456789"


def matrix_modules() -> list[ModuleType]:
    names = [
        m.name for m in pkgutil.iter_modules(authz_pkg.__path__) if m.name.startswith("matrix_")
    ]
    return [importlib.import_module(f"tests.authz.{name}") for name in sorted(names)]


class Env:
    def __init__(self, template: Path, tmp: Path) -> None:
        self.template = template
        self.tmp = tmp
        self.counter = 0
        self.engines: list = []

    def fresh(self) -> tuple[TestClient, World, Session]:
        self.counter += 1
        path = self.tmp / f"authz-{self.counter}.db"
        shutil.copyfile(self.template, path)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        self.engines.append(engine)
        session = Session(engine, expire_on_commit=False)
        world = build_world(session)
        for module in matrix_modules():
            setup = getattr(module, "setup", None)
            if setup:
                setup(world)
        session.commit()
        settings = Settings(
            environment=Environment.test,
            database_url=url,
            secret_key=SECRET,
            hetu_hash_key=SECRET,
            dev_login=True,
            rate_limit_attempts=1_000_000,  # many logins from one address
        )
        client = TestClient(create_app(settings, engine), follow_redirects=False)
        return client, world, session


@pytest.fixture
def env(sqlite_template: Path, tmp_path: Path) -> Iterator[Env]:
    environment = Env(sqlite_template, tmp_path)
    yield environment
    for engine in environment.engines:
        engine.dispose()


def _login(client: TestClient, world: World, role: str) -> None:
    client.cookies.clear()
    if role == "anonymous":
        return
    response = form_post(client, "/login/dev", {"persona": persona_key(role), "next": "/"})
    assert response.status_code == 303, f"login as {role} failed: {response.status_code}"
    hook = world.after_login.get(role)
    if hook:
        hook(client, world)


def _request(client: TestClient, case: Case) -> int:
    headers = {"HX-Request": "true"} if case.htmx else {}
    if case.method == "GET":
        return client.get(case.url, headers=headers).status_code
    data = dict(case.data or {})
    data["csrftoken"] = csrf_token(client)
    return client.request(case.method, case.url, data=data, headers=headers).status_code


def _run(env: Env, module: ModuleType) -> list[str]:
    mismatches: list[str] = []
    client, world, session = env.fresh()
    cases: list[Case] = module.cases(world)
    for index, case in enumerate(cases):
        for role in ROLES:
            if case.method != "GET":
                client, world, session = env.fresh()
                case = module.cases(world)[index]
            _login(client, world, role)
            status = _request(client, case)
            if status != case.expect[role]:
                wanted = case.expect[role]
                mismatches.append(
                    f"{case.method} {case.url} as {role}: got {status}, expected {wanted}"
                )
    session.close()
    return mismatches


@pytest.mark.parametrize("module", matrix_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_matrix(env: Env, module: ModuleType) -> None:
    mismatches = _run(env, module)
    assert not mismatches, "\n".join(mismatches)


def test_every_route_has_matrix_cases(env: Env) -> None:
    client, world, session = env.fresh()
    covered: set[tuple[str, str]] = set()
    for module in matrix_modules():
        covered |= {(c.method, c.route) for c in module.cases(world)}
    app = client.app
    missing = []
    routes = list(api_routes(app.routes))  # type: ignore[attr-defined]
    assert len(routes) > 100  # the walk reaches the routers the app includes
    for route in routes:
        if route.path in UNCHECKED:
            continue
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            if (method, route.path) not in covered:
                missing.append(f"{method} {route.path}")
    session.close()
    assert not missing, "routes without authorization-matrix cases:\n" + "\n".join(missing)


def test_the_harness_detects_a_wrong_expectation(env: Env) -> None:
    class Fake(ModuleType):
        @staticmethod
        def cases(world: World) -> list[Case]:
            wrong = dict.fromkeys(ROLES, 200)
            wrong["anonymous"] = 403  # the landing page is public: this must be reported
            return [Case("GET", "/", "/", wrong)]

    mismatches = _run(env, Fake("fake"))
    assert mismatches == ["GET / as anonymous: got 200, expected 403"]
