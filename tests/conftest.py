"""Test fixtures: every database test runs on SQLite and on a throw-away PostgreSQL.

The schema is built by `alembic upgrade head` once per engine and worker, then copied
per test (SQLite: file copy; PostgreSQL: CREATE DATABASE ... TEMPLATE).
Set HEBU_TEST_ENGINES=sqlite for a fast local loop. In CI (CI=true) a missing PostgreSQL
or browser fails the run instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Environment, Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from tests.support import postgres

IN_CI = os.environ.get("CI", "").lower() == "true"
# The demo's synthetic cohort, smaller in tests (the demo fixture runs often).
os.environ.setdefault("HEBU_DEMO_COHORT_SIZE", "60")
ENGINES = [e.strip() for e in os.environ.get("HEBU_TEST_ENGINES", "sqlite,postgres").split(",")]
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and callspec.params.get("db_url") == "postgres":
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[postgres.PgCluster]:
    if not postgres.available():
        message = "PostgreSQL server binaries not found (apt-get install postgresql)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    cluster = postgres.start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template(pg_cluster: postgres.PgCluster) -> str:
    admin = create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE hebu_template"))
    admin.dispose()
    upgrade(pg_cluster.url("hebu_template"))
    return "hebu_template"


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "hebu.db"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
        return
    cluster: postgres.PgCluster = request.getfixturevalue("pg_cluster")
    template_name: str = request.getfixturevalue("pg_template")
    name = "t_" + uuid.uuid4().hex[:16]
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    yield cluster.url(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        environment=Environment.test,
        database_url=db_url,
        secret_key=TEST_SECRET,
        hetu_hash_key=TEST_SECRET,
        dev_login=True,
    )


@pytest.fixture
def app(settings: Settings, engine: Engine):  # noqa: ANN201
    return create_app(settings, engine)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # noqa: ANN001
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


@pytest.fixture
def lenient(app) -> Iterator[TestClient]:  # noqa: ANN001
    """A client that sees a server error as a 500 answer instead of an exception."""
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as c:
        yield c


def _load_demo_into(url: str) -> None:
    from app.demo.county import load_demo

    eng = make_engine(url)
    try:
        with Session(eng, expire_on_commit=False) as s:
            load_demo(s)
            s.commit()
    finally:
        eng.dispose()


@pytest.fixture(scope="session")
def sqlite_demo_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The schema plus the demo data, loaded once per worker (the load takes seconds)."""
    path = tmp_path_factory.mktemp("sqlite-demo") / "demo.db"
    shutil.copyfile(sqlite_template, path)
    _load_demo_into(f"sqlite:///{path}")
    with create_engine(f"sqlite:///{path}").connect() as conn:  # fold the WAL into the file
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture(scope="session")
def pg_demo_template(pg_cluster: postgres.PgCluster, pg_template: str) -> str:
    name = "hebu_demo_template"
    admin = create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    admin.dispose()
    _load_demo_into(pg_cluster.url(name))
    return name


@pytest.fixture
def demo(request: pytest.FixtureRequest, db_url: str, engine: Engine) -> None:
    """The demo data, committed, for tests that log in as personas.

    The test's database is replaced by a copy of a per-worker demo template (built once by
    the same `load_demo`), so each test still gets its own fresh data."""
    engine.dispose()  # no pooled connection may point at the database being replaced
    if db_url.startswith("sqlite"):
        template: Path = request.getfixturevalue("sqlite_demo_template")
        target = Path(db_url.removeprefix("sqlite:///"))
        staged = target.with_name(target.name + ".new")
        shutil.copyfile(template, staged)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staged, target)
        return
    cluster: postgres.PgCluster = request.getfixturevalue("pg_cluster")
    template_name: str = request.getfixturevalue("pg_demo_template")
    name = db_url.rsplit("/", 1)[1]
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    admin.dispose()
