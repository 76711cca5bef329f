"""Property-based run of the public JSON API against its own OpenAPI schema (schemathesis).

Bounded: a few examples per operation (about 20 s per engine). The JSON API gets every
schemathesis check (no server errors, documented status codes, responses match the schema);
every other public GET in the schema is fuzzed for server errors only (unauthenticated, so
most answer with a redirect to the login page).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _every_route_schema(app: Any) -> Any:
    """A schema of every route, the HTML ones too (they are left out of the published one)."""
    from fastapi import FastAPI
    from fastapi.openapi.utils import get_openapi

    from app.main import ROUTERS

    every = FastAPI()
    for module in ROUTERS:
        every.include_router(module.router)
    schema = schemathesis.openapi.from_dict(
        get_openapi(title=app.title, version=app.version, routes=every.routes)
    )
    schema.app = app
    return schema


def _operations(app: Any, api: bool) -> list[Any]:
    if api:
        schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
        schema = schema.include(path_regex=r"^/api/")
    else:
        schema = _every_route_schema(app).include(method="GET").exclude(path_regex=r"^/api/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    return operations


def _run(operation: Any, checks: list[Any] | None) -> None:
    @given(case=operation.as_strategy())
    @SETTINGS
    def run(case: Any) -> None:
        if checks is None:
            case.call_and_validate()
        else:
            case.call_and_validate(checks=checks)

    run()


def test_json_api_conforms(app, demo: None) -> None:
    for operation in _operations(app, api=True):
        _run(operation, None)


def test_public_get_routes_never_fail(app, demo: None) -> None:
    for operation in _operations(app, api=False):
        _run(operation, [not_a_server_error])
