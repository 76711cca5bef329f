"""disputes: the history of each delivery (who did what, when and why)

- `delivery_event`: append-only rows for disputes, corrections, withdrawals, contests, the
  case worker's decisions and confirmations; a corrected report points at the delivery it
  replaces (`related_id`). The new delivery statuses (corrected, withdrawn, contested,
  rejected) are plain strings in `delivery.status`: no column change.

Revision ID: 0017_disputes
Revises: 0016_own_share
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017_disputes"
down_revision: str | None = "0016_own_share"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delivery_event",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("on_behalf_of_id", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("units", sa.Integer(), nullable=True),
        sa.Column("related_id", sa.Integer(), nullable=True),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"], ["delivery.id"], name=op.f("fk_delivery_event_delivery_id_delivery")
        ),
        sa.ForeignKeyConstraint(
            ["budget_id"], ["budget.id"], name=op.f("fk_delivery_event_budget_id_budget")
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user.id"], name=op.f("fk_delivery_event_actor_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["on_behalf_of_id"], ["user.id"], name=op.f("fk_delivery_event_on_behalf_of_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["related_id"], ["delivery.id"], name=op.f("fk_delivery_event_related_id_delivery")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_event")),
    )
    with op.batch_alter_table("delivery_event") as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_event_delivery_id"), ["delivery_id"])
        batch_op.create_index(batch_op.f("ix_delivery_event_budget_id"), ["budget_id"])


def downgrade() -> None:
    with op.batch_alter_table("delivery_event") as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_event_budget_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_event_delivery_id"))
    op.drop_table("delivery_event")
