"""money guards: one budget per client and period, cents as BIGINT, one-time form keys

- `budget`: unique (client_id, period_start), so parallel first frames make one budget.
- Every money column in cents becomes BIGINT: a line's cost (units x repeats x price) and the
  sums built from it can pass what a 32-bit INTEGER holds on PostgreSQL. (SQLite's INTEGER is
  64-bit already: left as it is.)
- `form_submission`: the one-time key of each money form posted, with its first answer.

Revision ID: 0014_money_guards
Revises: 0013_settlement
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014_money_guards"
down_revision: str | None = "0013_settlement"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CENTS = {
    "budget": ("frame_cents",),
    "frameversion": ("frame_cents",),
    "plan_version": ("own_share_cents",),
    "plan_line": ("unit_price_cents", "cost_cents"),
    "delivery": ("amount_cents", "budget_cents", "own_share_cents"),
    "ledger_entry": ("amount_cents",),
    "offer": ("unit_price_cents",),
    "offerprice": ("unit_price_cents",),
    "payment": ("amount_cents", "refunded_cents"),
    "settlement_line": ("unit_price_cents", "budget_cents", "own_share_cents"),
}


def _cents(to: type[sa.types.TypeEngine], from_: type[sa.types.TypeEngine]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return  # INTEGER is 64-bit there; a table rebuild would trip its foreign keys
    for table, columns in CENTS.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column, existing_type=from_(), type_=to(), existing_nullable=False
                )


def upgrade() -> None:
    _cents(sa.BigInteger, sa.Integer)
    # A unique index (not a constraint): SQLite adds it without rebuilding the table.
    op.create_index("uq_budget_client_period", "budget", ["client_id", "period_start"], unique=True)
    op.create_table(
        "form_submission",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_form_submission_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submission")),
        sa.UniqueConstraint("form_key", name=op.f("uq_form_submission_form_key")),
    )
    with op.batch_alter_table("form_submission") as batch_op:
        batch_op.create_index(batch_op.f("ix_form_submission_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("form_submission") as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_submission_user_id"))
    op.drop_table("form_submission")
    op.drop_index("uq_budget_client_period", table_name="budget")
    _cents(sa.Integer, sa.BigInteger)
