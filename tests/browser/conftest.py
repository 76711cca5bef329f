"""Browser tests: Playwright driving Debian's Chromium against a live server, axe-core checks.

In CI (CI=true) a missing Chromium fails the run; locally it skips with a reason.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlmodel import Session, select

from app.config import Environment, Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("HEBU_CHROMIUM", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        path = Path(str(item.fspath))
        if path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            # The journeys (one file per role) are the longest browser tests: each role is its
            # own group, so that with several workers they run beside the other browser tests.
            group = path.stem.removeprefix("test_") if path.stem.startswith("test_journey_") else ""
            item.add_marker(pytest.mark.xdist_group(group or "browser"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, url: str, engine: Any) -> None:
        self.url = url
        self.engine = engine

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def languages(self) -> dict[int, str | None]:
        from app.models.user import User

        with Session(self.engine) as s:
            return {u.id: u.locale for u in s.exec(select(User)) if u.id is not None}

    def restore_languages(self, saved: dict[int, str | None]) -> None:
        """Give every person back the stored language they had: a test that picks a language
        stores it (the choice made before login is kept), and the server is shared."""
        from app.models.user import User

        with Session(self.engine) as s:
            for user in s.exec(select(User)):
                if user.id in saved and user.locale != saved[user.id]:
                    user.locale = saved[user.id]
                    s.add(user)
            s.commit()


@pytest.fixture(autouse=True)
def _stored_languages_restored(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each browser test starts from the demo's stored languages, whichever ran before it."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server: LiveServer = request.getfixturevalue("live_server")
    saved = server.languages()
    yield
    server.restore_languages(saved)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("live") / "live.db"
    url = f"sqlite:///{db}"
    upgrade(url)
    engine = make_engine(url)
    from app.demo.county import load_demo

    with Session(engine) as s:
        load_demo(s)
        s.commit()
    settings = Settings(
        environment=Environment.test,
        database_url=url,
        secret_key="browser-test-secret-key-0123456789abcdef",
        hetu_hash_key="browser-test-secret-key-0123456789abcdef",
        dev_login=True,
        rate_limit_attempts=1_000_000,  # many logins from one address
    )
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, engine), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "live server did not start"
    yield LiveServer(f"http://127.0.0.1:{port}", engine)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = "Chromium not found (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    if not AXE_JS.exists():
        message = "axe-core not installed (npm ci)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def new_page(browser: Any, locale: str = "fi", viewport: dict[str, int] | None = None) -> Any:
    context = browser.new_context(
        locale={"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}[locale],
        extra_http_headers={"Accept-Language": locale},
        viewport=viewport or PHONE,
        bypass_csp=True,  # lets the test inject axe-core; the app's own CSP is tested elsewhere
    )
    return context.new_page()


@pytest.fixture
def page_fi(browser: Any) -> Iterator[Any]:
    page = new_page(browser, "fi")
    yield page
    page.context.close()


@pytest.fixture
def page_sv(browser: Any) -> Iterator[Any]:
    page = new_page(browser, "sv")
    yield page
    page.context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        # Only violations are read: resultTypes keeps axe from detailing every passing node,
        # which is most of its time on a long page.
        "async (tags) => await axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)


def login(page: Any, base_url: str, persona: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator(f'form:has(input[name="persona"][value="{persona}"]) button').click()
    page.wait_for_load_state()
