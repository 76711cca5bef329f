"""teaming checkpoints and the impact model

- `teaming_checkpoint`: a teaming meeting (arm C of seed 004) of a budget at one of the three
  checkpoints (before use, after deployment, at the impact evaluation): the day it meets, the
  minutes, the day it was held; one per budget and checkpoint.
- `teaming_invitation`: each provider of the plan invited to a checkpoint and its answer.
- `impact_item` / `impact_link`: the organiser's impact model (resources, activities, outputs,
  outcomes, impact), each item linked to the core indicators that measure it.

Revision ID: 0025_teaming_checkpoints
Revises: 0022_favourites
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0025_teaming_checkpoints"
down_revision: str | None = "0022_favourites"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
    ]


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "teaming_checkpoint",
        *_stamps(),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("meets_on", sa.Date(), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("minutes", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("scheduled_by_id", sa.Integer(), nullable=False),
        sa.Column("held_recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["budget_id"], ["budget.id"], name=op.f("fk_teaming_checkpoint_budget_id_budget")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["user.id"], name=op.f("fk_teaming_checkpoint_client_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["scheduled_by_id"],
            ["user.id"],
            name=op.f("fk_teaming_checkpoint_scheduled_by_id_user"),
        ),
        sa.ForeignKeyConstraint(
            ["held_recorded_by_id"],
            ["user.id"],
            name=op.f("fk_teaming_checkpoint_held_recorded_by_id_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teaming_checkpoint")),
        sa.UniqueConstraint("budget_id", "stage", name=op.f("uq_teaming_checkpoint_budget_id")),
    )
    _index("teaming_checkpoint", "budget_id")
    _index("teaming_checkpoint", "client_id")
    op.create_table(
        "teaming_invitation",
        *_stamps(),
        sa.Column("checkpoint_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"],
            ["teaming_checkpoint.id"],
            name=op.f("fk_teaming_invitation_checkpoint_id_teaming_checkpoint"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_teaming_invitation_provider_id_provider"),
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["user.id"],
            name=op.f("fk_teaming_invitation_answered_by_id_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teaming_invitation")),
        sa.UniqueConstraint(
            "checkpoint_id", "provider_id", name=op.f("uq_teaming_invitation_checkpoint_id")
        ),
    )
    _index("teaming_invitation", "checkpoint_id")
    _index("teaming_invitation", "provider_id")
    op.create_table(
        "impact_item",
        *_stamps(),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.JSON(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["organiser.id"],
            name=op.f("fk_impact_item_organiser_id_organiser"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user.id"], name=op.f("fk_impact_item_updated_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_item")),
    )
    _index("impact_item", "organiser_id")
    op.create_table(
        "impact_link",
        *_stamps(),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["impact_item.id"], name=op.f("fk_impact_link_item_id_impact_item")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_link")),
        sa.UniqueConstraint("item_id", "code", name=op.f("uq_impact_link_item_id")),
    )
    _index("impact_link", "item_id")


def downgrade() -> None:
    for table, columns in (
        ("impact_link", ["item_id"]),
        ("impact_item", ["organiser_id"]),
        ("teaming_invitation", ["checkpoint_id", "provider_id"]),
        ("teaming_checkpoint", ["budget_id", "client_id"]),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
