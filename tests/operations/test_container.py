"""The Dockerfile and compose.yaml agree with the code (Docker itself is not on the test
machines): every `hebu` command they run parses with the real CLI, every HEBU_ variable they
set is a setting and in the README's table, compose's environment is a valid production
configuration, the files the image copies exist, uv is the Makefile's version; and the
image's own CMD and the worker's command run here, on PostgreSQL, with compose's settings."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click
import httpx
import pytest
import typer
import yaml

from app.cli import app as cli_app
from app.config import Environment, Settings
from tests.support import servers

ROOT = servers.ROOT
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
SECRET = "s" * 48
_REF = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")


def _resolve(value: object) -> str:
    """Compose's interpolation: `${X:?why}` is a required secret (a long test value here),
    `${X:-default}` its default."""
    return _REF.sub(lambda m: SECRET if m.group(2) == "?" else (m.group(3) or ""), str(value))


def _dockerfile_cmd() -> list[str]:
    found = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.MULTILINE)
    assert found, "the Dockerfile has no exec-form CMD"
    return list(json.loads(found.group(1)))


def _dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for block in re.findall(r"^ENV ((?:.*\\\n)*.*)$", DOCKERFILE, re.MULTILINE):
        for pair in shlex.split(block.replace("\\\n", " ")):
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def _hebu_commands() -> list[list[str]]:
    """Every `hebu …` invocation: the Dockerfile's CMD (split at `&&`) and compose's commands."""
    shell = _dockerfile_cmd()
    assert shell[:2] == ["sh", "-c"]
    found = []
    for part in shell[2].split("&&"):
        words = shlex.split(part.replace("exec ", "", 1))
        found.append(words)
    for service in COMPOSE["services"].values():
        command = service.get("command")
        if command:
            found.append(list(command))
    assert all(words[0] == "hebu" for words in found), found
    return found


def _web_env() -> dict[str, str]:
    environment = COMPOSE["services"]["web"]["environment"]
    return {key: _resolve(value) for key, value in environment.items()}


def test_every_command_the_containers_run_parses_with_the_cli() -> None:
    root = typer.main.get_command(cli_app)
    commands = _hebu_commands()
    assert ["hebu", "db", "upgrade"] in commands
    assert any(words[:2] == ["hebu", "serve"] and "--workers" in words for words in commands)
    assert ["hebu", "worker"] in commands
    for words in commands:
        command: click.Command = root
        args = [w.replace("$HEBU_WORKERS", "2") for w in words[1:]]
        while isinstance(command, click.Group) and args and args[0] in command.commands:
            command = command.commands[args.pop(0)]
        assert not isinstance(command, click.Group), words
        command.make_context(" ".join(words[:2]), args)  # a UsageError fails the test


def test_every_variable_named_is_a_setting_and_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(_dockerfile_env()) | set(COMPOSE["x-hebu-env"]) | set(_web_env())
    hebu = sorted(name for name in named if name.startswith("HEBU_"))
    assert "HEBU_WORKERS" in hebu and "HEBU_METRICS_TOKEN" in hebu
    for name in hebu:
        assert name.removeprefix("HEBU_").lower() in Settings.model_fields, name
        assert f"`{name}`" in readme, f"{name} is not in the README's settings table"
    assert "PROMETHEUS_MULTIPROC_DIR" in _dockerfile_env()


def test_compose_is_a_valid_production_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in [k for k in os.environ if k.startswith("HEBU_")]:
        monkeypatch.delenv(key)
    for key, value in _web_env().items():
        monkeypatch.setenv(key, value)
    settings = Settings()  # the production checks raise on a weak or missing secret
    assert settings.environment is Environment.production
    assert not settings.dev_login_enabled and not settings.jobs_in_process
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.workers >= 2 and settings.metrics_token
    services = COMPOSE["services"]
    assert {"db", "web", "worker", "mail", "meilisearch"} <= set(services)
    assert services["worker"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_image_is_slim_non_root_locked_and_healthchecked() -> None:
    assert re.search(r"^FROM python:3\.11-slim$", DOCKERFILE, re.MULTILINE)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    uv = re.search(r"^UV_VERSION := (\S+)$", makefile, re.MULTILINE)
    assert uv and f"ARG UV_VERSION={uv.group(1)}" in DOCKERFILE
    assert "uv sync --frozen" in DOCKERFILE and "$(UV) sync --frozen" in makefile
    assert "hebu i18n compile" in DOCKERFILE
    user = re.findall(r"^USER (\S+)$", DOCKERFILE, re.MULTILINE)
    assert user and user[-1] not in ("root", "0")
    assert "HEALTHCHECK" in DOCKERFILE and "/healthz" in DOCKERFILE
    for source in re.findall(r"^COPY (.+) \S+$", DOCKERFILE, re.MULTILINE):
        for name in source.split():
            assert (ROOT / name).exists(), name
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", "node_modules", "var", "tests"} <= set(ignored)


def _run_env(db_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEBU_")}
    env.update({k: v for k, v in _dockerfile_env().items() if k != "PATH"})
    env.update(_web_env())
    env["HEBU_DATABASE_URL"] = db_url
    env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / "metrics")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return env


@pytest.mark.slow
def test_the_images_commands_run_on_postgresql(db_url: str, tmp_path: Path) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the containers run on PostgreSQL")
    env = _run_env(db_url, tmp_path)
    port = servers.free_port()
    shell = _dockerfile_cmd()
    # The same command, on loopback and a free port of this machine.
    line = shell[2].replace("--host 0.0.0.0", "--host 127.0.0.1")
    line = line.replace("--port 8000", f"--port {port}")
    process = subprocess.Popen([*shell[:2], line], cwd=tmp_path, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 180
        while True:
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.time() < deadline, "the CMD did not serve"
            time.sleep(0.3)
        assert httpx.get(f"{url}/readyz").json()["search"] == "up"
        bearer = {"Authorization": f"Bearer {env['HEBU_METRICS_TOKEN']}"}
        assert "hebu_jobs_due" in httpx.get(f"{url}/metrics", headers=bearer).text
        worker = subprocess.run(
            ["hebu", "worker", "--once"], cwd=tmp_path, env=env, capture_output=True, timeout=120
        )
        assert worker.returncode == 0, worker.stdout + worker.stderr
        assert b"deliveries_auto_accept: ok" in worker.stdout
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert process.returncode == 0, "SIGTERM did not stop the server gracefully"
