"""jobs: the schedule and last run of each background job

One row per job (`app/services/operations/registry.py` names them; a runner adds missing rows
at start). Runners in any number of processes share the rows: a run is taken with a
compare-and-set lease, so a job never runs twice at once.

Revision ID: 0012_jobs
Revises: 0011_login_session
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012_jobs"
down_revision: str | None = "0011_login_session"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("next_run_at", sa.BigInteger(), nullable=False),
        sa.Column("lease_owner", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("lease_until", sa.BigInteger(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_run_at", sa.BigInteger(), nullable=True),
        sa.Column("last_run_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("last_duration_ms", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job")),
    )
    op.create_index(op.f("ix_job_next_run_at"), "job", ["next_run_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_job_next_run_at"), table_name="job")
    op.drop_table("job")
