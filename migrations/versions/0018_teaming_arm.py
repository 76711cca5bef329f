"""teaming arm: teaming (arm C) is a second question beside the frame's precision (A/B)

- `budget.teaming`: whether the named worker convenes the providers of the budget (arm C of
  seed 004), independent of `budget.arm`, which now holds only the frame's precision (A: the
  total only, B: the total and main-category shares).
- Data kept: a budget stored with the old exclusive arm "C" becomes teaming = true with the
  precision its frame has: B when it has main-category shares, else A.
- The indicator form's "problems" (seed 002 appendix 4: C 4, "Ongelmista kertovat asiat") is
  part of block C: comments and manual indicators kept under the old block "D" move to "C4".
- `indicator_target`: the organiser's target value for each core indicator (shown beside the
  baseline, the report's first half-year).

Revision ID: 0018_teaming_arm
Revises: 0017_disputes
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018_teaming_arm"
down_revision: str | None = "0017_disputes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

budget = sa.table(
    "budget",
    sa.column("id", sa.Integer()),
    sa.column("arm", sa.String(5)),
    sa.column("shares_bp", sa.JSON()),
    sa.column("teaming", sa.Boolean()),
)


BLOCK_TABLES = ("indicator_comment", "manual_indicator")


def _move_block(old: str, new: str) -> None:
    for name in BLOCK_TABLES:
        table = sa.table(name, sa.column("block", sa.String(10)))
        op.execute(table.update().where(table.c.block == old).values(block=new))


def upgrade() -> None:
    _move_block("D", "C4")
    op.create_table(
        "indicator_target",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["organiser.id"],
            name=op.f("fk_indicator_target_organiser_id_organiser"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user.id"], name=op.f("fk_indicator_target_updated_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_target")),
        sa.UniqueConstraint("organiser_id", "code", name=op.f("uq_indicator_target_organiser_id")),
    )
    with op.batch_alter_table("indicator_target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_target_organiser_id"), ["organiser_id"], unique=False
        )
    # A plain ADD COLUMN: recreating the table (batch mode on SQLite) would break the foreign
    # keys of the rows that refer to it.
    with op.batch_alter_table("budget", recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("teaming", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    bind = op.get_bind()
    old = bind.execute(sa.select(budget.c.id, budget.c.shares_bp).where(budget.c.arm == "C"))
    for budget_id, shares in old.all():
        bind.execute(
            budget.update()
            .where(budget.c.id == budget_id)
            .values(arm="B" if shares else "A", teaming=True)
        )


def downgrade() -> None:
    _move_block("C4", "D")
    with op.batch_alter_table("indicator_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_target_organiser_id"))
    op.drop_table("indicator_target")
    # The old schema had one exclusive choice: a teaming budget was arm "C".
    op.execute(budget.update().where(budget.c.teaming == sa.true()).values(arm="C"))
    # A plain DROP COLUMN (SQLite 3.35+), for the same reason.
    with op.batch_alter_table("budget", recreate="never") as batch_op:
        batch_op.drop_column("teaming")
