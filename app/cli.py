"""The `hebu` command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from app.config import get_settings

if TYPE_CHECKING:
    from sqlmodel import Session

P = TypeVar("P")

app = typer.Typer(help="Hebu – personal budgets for social and health care.", no_args_is_help=True)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
i18n_app = typer.Typer(help="Message catalogue commands.", no_args_is_help=True)
audit_app = typer.Typer(help="Audit trail commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(i18n_app, name="i18n")
app.add_typer(audit_app, name="audit")
search_app = typer.Typer(help="Search index commands.", no_args_is_help=True)
catalogue_app = typer.Typer(help="Service catalogue commands.", no_args_is_help=True)
app.add_typer(search_app, name="search")
app.add_typer(catalogue_app, name="catalogue")
ledger_app = typer.Typer(help="Budget ledger commands.", no_args_is_help=True)
deliveries_app = typer.Typer(help="Delivery commands.", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")
app.add_typer(deliveries_app, name="deliveries")


def _ensure_var_dir() -> None:
    url = get_settings().database_url
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the Alembic migrations."""
    from app.migrate import upgrade

    _ensure_var_dir()
    upgrade(get_settings().database_url, revision)
    typer.echo("database is up to date")


def _with_backup_file(step: Callable[[str, Path], str], file: str) -> str:
    """Run a backup or restore step on FILE; its error ends the command (exit 1). The schema
    revision of the copy is returned."""
    from app.backup import BackupError

    try:
        return step(get_settings().database_url, Path(file))
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


@app.command("backup")
def backup_command(file: str) -> None:
    """Online backup of the embedded SQLite database to FILE (PostgreSQL: pg_dump, see README)."""
    from app.backup import backup

    revision = _with_backup_file(backup, file)
    typer.echo(f"backed up to {file} (schema {revision})")


@app.command("restore")
def restore_command(file: str) -> None:
    """Replace the embedded SQLite database with the backup FILE (checked before and after)."""
    from app.backup import restore

    revision = _with_backup_file(restore, file)
    typer.echo(f"restored {file} (schema {revision}); run `hebu db upgrade` if it is older")


def _report_problems(
    check: Callable[[Session], Sequence[P]], describe: Callable[[P], str], intact: str
) -> None:
    """Run a consistency check: each problem on stderr and exit 1, or say it is `intact`."""
    from app.db import session_scope

    with session_scope() as session:
        problems = check(session)
    for problem in problems:
        typer.echo(describe(problem), err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(intact)


@ledger_app.command("verify")
def ledger_verify() -> None:
    """Reconcile every budget's ledger, every settlement and every own-share payment (with
    payments configured, against what Stripe reports now); exits 1 on any discrepancy."""
    from app.services.budget import ledger, payment_events, settlement

    settings = get_settings()
    _report_problems(
        lambda s: [*ledger.verify(s), *settlement.verify(s), *payment_events.verify(s, settings)],
        lambda p: f"budget {p.budget_id}: {p.problem}",
        "ledger reconciles",
    )


@deliveries_app.command("auto-accept")
def deliveries_auto_accept() -> None:
    """Accept deliveries nobody confirmed or disputed within the organiser's days."""
    from datetime import date

    from app.db import session_scope
    from app.services.budget.deliveries import auto_accept

    with session_scope() as session:
        accepted, refused = auto_accept(session, date.today())
    typer.echo(f"accepted {accepted} deliveries, refused {refused} that would overdraw")


demo_app = typer.Typer(
    help="Load the demo data of the fictional Järvimaa county (idempotent).",
    invoke_without_command=True,
)
app.add_typer(demo_app, name="demo")


@demo_app.callback()
def demo(ctx: typer.Context) -> None:
    """Load the demo data of the fictional Järvimaa county (idempotent)."""
    if ctx.invoked_subcommand is not None:
        return
    from app.db import session_scope
    from app.demo.county import load_demo

    with session_scope() as session:
        load_demo(session)
    typer.echo("demo data loaded")


@demo_app.command("cohort")
def demo_cohort(size: int = typer.Option(300, min=1, max=100_000)) -> None:
    """Add a synthetic cohort of SIZE generated clients (marked synthetic) to the demo county."""
    import time

    from app.db import session_scope
    from app.demo.cohort import load_cohort

    started = time.monotonic()
    with session_scope() as session:
        added = load_cohort(session, size)
    if not added:
        typer.echo("load the demo data first (hebu demo)", err=True)
        raise typer.Exit(1)
    typer.echo(f"added {added} synthetic clients in {time.monotonic() - started:.1f} s")


@i18n_app.command("compile")
def i18n_compile(force: bool = False) -> None:
    """Compile the .po catalogues."""
    from app.i18n.compile import compile_catalogues

    written = compile_catalogues(force=force)
    typer.echo(f"compiled {len(written)} catalogues")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit trail's keyed hash chain and that it ends where its sealed head
    records (HEBU_AUDIT_KEY); exits 1 on any broken, edited or missing row."""
    from app.services.audit import verify

    _report_problems(
        verify,
        lambda p: f"audit {'head' if p.event_id is None else f'event {p.event_id}'}: {p.problem}",
        "audit trail intact",
    )


@search_app.command("reindex")
def search_reindex() -> None:
    """Rebuild the search index from the database (the source of truth)."""
    from app.db import get_engine
    from app.services import search

    settings = get_settings()
    search.configure(settings.meili_url, settings.meili_key)
    count = search.reindex(get_engine())
    typer.echo(f"indexed {count} offers")


@search_app.command("process")
def search_process() -> None:
    """Send queued offer changes (the outbox) to the search engine."""
    from app.db import get_engine
    from app.services import search

    settings = get_settings()
    search.configure(settings.meili_url, settings.meili_key)
    typer.echo(f"processed {search.process_outbox(get_engine())} offers")


@catalogue_app.command("load-municipalities")
def catalogue_load_municipalities() -> None:
    """Load the official municipality code list (idempotent)."""
    from app.db import session_scope
    from app.services.catalogue.municipalities import load_municipalities

    with session_scope() as session:
        count = load_municipalities(session)
    typer.echo(f"{count} municipalities added or updated")


@catalogue_app.command("export-hsds")
def catalogue_export_hsds(
    output: str = typer.Option("-", help="File to write, - for stdout"),
) -> None:
    """Export the approved catalogue as Open Referral HSDS 3.0 JSON (validated)."""
    import json

    from app.db import session_scope
    from app.services.catalogue import hsds

    with session_scope() as session:
        document = hsds.export(session)
    problems = hsds.validation_errors(document)
    for problem in problems[:20]:
        typer.echo(problem, err=True)
    text = json.dumps(document, ensure_ascii=False, indent=2, default=hsds.json_number)
    if output == "-":
        typer.echo(text)
    else:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        typer.echo(f"exported {len(document['services'])} services to {output}", err=True)
    if problems:
        raise typer.Exit(1)


@catalogue_app.command("import-hsds")
def catalogue_import_hsds(
    file: str,
    publish: bool = typer.Option(False, help="Approve the providers and publish the listings"),
    organiser: str = typer.Option("jarvimaa", help="Organiser code the listings belong to"),
) -> None:
    """Import an HSDS 3.0 dataset as listings of new providers (drafts pending approval)."""
    import json

    from sqlmodel import select

    from app.db import session_scope
    from app.models.organiser import Organiser
    from app.services.catalogue import hsds_import

    with open(file, encoding="utf-8") as handle:
        document = json.load(handle)
    with session_scope() as session:
        found = session.exec(select(Organiser).where(Organiser.code == organiser)).first()
        if found is None:
            typer.echo(f"unknown organiser {organiser}", err=True)
            raise typer.Exit(1)
        created, problems = hsds_import.import_dataset(session, document, found, publish)
    for problem in problems:
        typer.echo(problem, err=True)
    typer.echo(f"imported {created} services")
    if problems and not created:
        raise typer.Exit(1)


@app.command()
def worker(once: bool = typer.Option(False, help="Run the due jobs once and exit")) -> None:
    """Run the background jobs (auto-accept, mandate expiry, reminders, outboxes, cleanup) until
    SIGTERM; any number of workers and web processes may run side by side."""
    from app import worker as job_worker
    from app.db import get_engine
    from app.logging_setup import configure_logging
    from app.services import search

    settings = get_settings()
    configure_logging(settings.log_json, settings.log_level)
    search.configure(settings.meili_url, settings.meili_key)
    outcomes = job_worker.run(get_engine(), settings, once=once)
    for outcome in outcomes:
        state = "ok" if outcome.ok else f"failed: {outcome.error}"
        typer.echo(f"{outcome.name}: {state}")
    if any(not outcome.ok for outcome in outcomes):
        raise typer.Exit(1)


METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _metrics_dir(workers: int) -> tuple[str | None, bool]:
    """Where worker processes write their metrics: `PROMETHEUS_MULTIPROC_DIR` as given
    (emptied: counts of an earlier run must not add up with this one's), or a fresh folder of
    our own for more than one worker. Set before any worker imports prometheus_client.
    Returns the folder and whether it is ours to remove."""
    import tempfile

    given = os.environ.get(METRICS_DIR_ENV)
    if given:
        os.makedirs(given, exist_ok=True)
        for name in os.listdir(given):
            if name.endswith(".db"):
                os.remove(os.path.join(given, name))
        return given, False
    if workers <= 1:
        return None, False
    folder = tempfile.mkdtemp(prefix="hebu-metrics-")
    os.environ[METRICS_DIR_ENV] = folder
    return folder, True


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    reload: bool = False,
    workers: int | None = typer.Option(
        None, min=1, help="Worker processes (default HEBU_WORKERS, 1)"
    ),
) -> None:
    """Serve the portal: one process, or N uvicorn worker processes sharing the port (each
    its own database pool; sessions, limits, jobs and search are shared through the
    database). SIGTERM stops taking connections and lets requests under way finish."""
    import shutil

    import uvicorn

    settings = get_settings()
    count = workers or settings.workers
    if reload and count > 1:
        typer.echo("--reload runs one process; leave out --workers", err=True)
        raise typer.Exit(2)
    folder, ours = _metrics_dir(count)
    typer.echo(f"Hebu is running at http://{host}:{port}/ ({count} worker process(es))")
    if settings.dev_login_enabled:
        typer.echo(f"Log in at http://{host}:{port}/login and pick a demo persona.")
    if settings.jobs_in_process:
        typer.echo("Background jobs run inside this server (HEBU_RUN_JOBS_IN_PROCESS).")
    try:
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            host=host,
            port=port,
            reload=reload,
            workers=count,
            # X-Forwarded-* is believed only from HEBU_TRUSTED_PROXIES, by the app itself.
            proxy_headers=False,
            log_level="warning",
            timeout_graceful_shutdown=int(settings.graceful_shutdown_seconds),
        )
    finally:
        if ours and folder:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    sys.exit(app())
