"""A throw-away PostgreSQL cluster for the tests (Debian's server, initdb into a temp dir)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgCluster:
    datadir: Path
    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        pg_ctl = _pg_bin("pg_ctl")
        if pg_ctl:
            subprocess.run(
                [pg_ctl, "-D", str(self.datadir), "-m", "immediate", "stop"],
                capture_output=True,
                check=False,
                **_as_postgres_user(),
            )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def _as_postgres_user() -> dict[str, object]:
    """initdb refuses to run as root: drop to the 'postgres' system user when root."""
    if os.geteuid() != 0:
        return {}
    import pwd

    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        return {}
    return {"user": pw.pw_uid, "group": pw.pw_gid}


def available() -> bool:
    return _pg_bin("initdb") is not None and _pg_bin("pg_ctl") is not None


def start_cluster() -> PgCluster:
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found")
    base = Path(tempfile.mkdtemp(prefix="hebu-pg-"))
    datadir = base / "data"
    run_as = _as_postgres_user()
    if run_as:
        os.chown(base, run_as["user"], run_as["group"])  # type: ignore[arg-type]
    user = "hebu"
    subprocess.run(
        [initdb, "-D", str(datadir), "-U", user, "-A", "trust", "-E", "UTF8", "--no-sync"],
        capture_output=True,
        check=True,
        **run_as,
    )
    port = _free_port()
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
    options += "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    subprocess.run(
        [pg_ctl, "-D", str(datadir), "-o", options, "-l", str(base / "log"), "-w", "start"],
        capture_output=True,
        check=True,
        **run_as,
    )
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    return PgCluster(datadir=datadir, port=port, user=user)
