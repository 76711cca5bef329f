"""The `hebu` command."""

from __future__ import annotations

import os
import sys

import typer

from app.config import get_settings

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


@app.command()
def demo() -> None:
    """Load the demo data of the fictional Järvimaa county (idempotent)."""
    from app.db import session_scope
    from app.services.demo import load_demo

    with session_scope() as session:
        load_demo(session)
    typer.echo("demo data loaded")


@i18n_app.command("compile")
def i18n_compile(force: bool = False) -> None:
    """Compile the .po catalogues."""
    from app.i18n.compile import compile_catalogues

    written = compile_catalogues(force=force)
    typer.echo(f"compiled {len(written)} catalogues")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit trail's hash chain; exits 1 on any broken row."""
    from app.db import session_scope
    from app.services.audit import verify

    with session_scope() as session:
        problems = verify(session)
    for problem in problems:
        typer.echo(f"audit event {problem.event_id}: {problem.problem}", err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo("audit trail intact")


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


@app.command()
def serve(
    host: str = "127.0.0.1", port: int = 8000, reload: bool = False, workers: int = 1
) -> None:
    """Serve the portal."""
    import uvicorn

    settings = get_settings()
    typer.echo(f"Hebu is running at http://{host}:{port}/")
    if settings.dev_login_enabled:
        typer.echo(f"Log in at http://{host}:{port}/login and pick a demo persona.")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=workers,
        proxy_headers=True,
        log_level="warning",
    )


def main() -> None:
    sys.exit(app())
