"""Migrations build the schema from empty, and the models match them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.migrate import alembic_config, upgrade
from app.models.search import is_engine_specific


def test_upgrade_from_empty_and_models_match(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "render_as_batch": conn.dialect.name == "sqlite",
                "include_object": lambda obj, name, type_, reflected, other: (
                    not is_engine_specific(name, type_)
                ),
            },
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    tables = set(inspect(engine).get_table_names())
    assert {"user", "membership", "organiser", "audit_event", "alembic_version"} <= tables


def test_upgrade_is_idempotent(db_url):
    upgrade(db_url)  # already at head: a no-op, not an error
    upgrade(db_url)


def test_downgrade_to_base_and_up_again(db_url):
    from alembic import command

    cfg = alembic_config(db_url)
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")
