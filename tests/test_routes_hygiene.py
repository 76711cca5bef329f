"""House rules for the HTTP layer and units of work, read from the code itself.

- No `async def` endpoint does database work: the event loop must stay free (the form and the
  raw body come from the `formdata` dependencies, so handlers are plain `def`).
- Route modules never import each other's helpers, only the shared modules.
- One commit per request: services and routes never commit, except the few modules that run
  their own unit of work on a separate session (listed below).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant

from app.db import get_session
from tests.support.web import api_routes

ROOT = Path(__file__).resolve().parent.parent
ROUTES = ROOT / "app" / "routes"
SERVICES = ROOT / "app" / "services"

# Shared by every route module; nothing else under app/routes may be imported across modules.
SHARED_ROUTE_MODULES = {"app.routes.formdata", "app.routes.responses"}
# The only modules that may read the request body with `await`.
BODY_READERS = {ROUTES / "formdata.py"}
# Their own unit of work on a separate session, so they commit that session themselves.
OWN_UNIT_OF_WORK = {
    SERVICES / "audit.py",  # a logged refusal survives the request's rollback
    SERVICES / "identity" / "rate_limits.py",  # an attempt counts even if the request fails
    SERVICES / "search" / "outbox.py",  # background indexing, batch by batch
    SERVICES / "operations" / "runner.py",  # each lease, job and finish is its own unit
    # the notification outbox: a row is claimed (committed) before it is sent, marked after
    SERVICES / "notifications" / "outbox.py",
    SERVICES / "notifications" / "channels.py",  # the development outbox keeps what it "sent"
    SERVICES / "notifications" / "digest.py",  # a day's summary is claimed before it is sent
}


def _py_files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        yield from sorted(root.rglob("*.py"))


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _uses_session(dependant: Dependant) -> bool:
    return any(d.call is get_session or _uses_session(d) for d in dependant.dependencies)


def test_no_async_endpoint_uses_the_database(app: FastAPI) -> None:
    offenders = [
        f"{route.path} ({route.endpoint.__module__}.{route.endpoint.__name__})"
        for route in api_routes(app.routes)
        if inspect.iscoroutinefunction(route.endpoint) and _uses_session(route.dependant)
    ]
    assert offenders == []


def test_the_rule_sees_every_route_and_a_session_behind_a_dependency(app: FastAPI) -> None:
    """The check above must reach the included routers and see the database even when only
    the actor dependency holds the session."""
    routes = {route.path: route for route in api_routes(app.routes)}
    assert len(routes) > 100
    assert _uses_session(routes["/oma/budjetti"].dependant)  # the session is in ClientView
    assert not _uses_session(routes["/healthz"].dependant)


def test_only_formdata_awaits_the_request_body() -> None:
    offenders = []
    for path in _py_files(ROUTES):
        if path in BODY_READERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.AsyncFunctionDef):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} async def {node.name}")
            if (
                isinstance(node, ast.Await)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute)
                and node.value.func.attr in {"form", "body", "json", "stream"}
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} awaits the body")
    assert offenders == []


def _defines_router(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "router" for t in node.targets)
        for node in tree.body
    )


def _imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module
            for alias in node.names:  # `from app.routes.x import y` may name a module y
                yield node.lineno, f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_route_modules_import_only_shared_route_modules() -> None:
    """A route module may import the shared modules and its own domain's helpers (modules
    without a router, such as catalogue/params.py), never another route module."""
    paths = {_module_name(p): p for p in _py_files(ROUTES) if p.name != "__init__.py"}
    offenders = []
    for name, path in paths.items():
        package = name.rsplit(".", 1)[0]
        for lineno, imported in _imported_modules(path):
            target = paths.get(imported)
            if target is None or imported in SHARED_ROUTE_MODULES:
                continue
            own_helper = imported.rsplit(".", 1)[0] == package and not _defines_router(target)
            if package == "app.routes" or not own_helper:
                offenders.append(f"{path.relative_to(ROOT)}:{lineno} imports {imported}")
    assert offenders == []


def test_services_and_routes_never_commit() -> None:
    offenders = []
    for path in _py_files(SERVICES, ROUTES):
        if path in OWN_UNIT_OF_WORK:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "commit"
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_exceptions_still_exist() -> None:
    """A renamed module must not leave a stale exception that would excuse a newcomer."""
    assert all(path.is_file() for path in OWN_UNIT_OF_WORK | BODY_READERS)
