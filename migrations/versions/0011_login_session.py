"""login sessions on the server

The session cookie used to be a signed copy of the session itself; from this revision it
carries only a random token and the session lives in `login_session` (ended on logout, checked
for idle and absolute time on every request, shared by every app process). Signed cookies
issued before the upgrade are no longer read: everyone logs in again once.

`user.session_generation` is no longer read ("log out everywhere" ends the user's rows
instead). The column stays: dropping it would make SQLite rebuild the `user` table that
most tables refer to.

Revision ID: 0011_login_session
Revises: 0010_audit_head
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_login_session"
down_revision: str | None = "0010_audit_head"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", sa.BigInteger(), nullable=False),
        sa.Column("ended_at", sa.BigInteger(), nullable=True),
        sa.Column("end_reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("via_oidc", sa.Boolean(), nullable=False),
        sa.Column("acting_mandate_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acting_mandate_id"],
            ["mandate.id"],
            name=op.f("fk_login_session_acting_mandate_id_mandate"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_login_session_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_session_token_hash")),
    )
    op.create_index(op.f("ix_login_session_user_id"), "login_session", ["user_id"])
    op.create_index(op.f("ix_login_session_seen_at"), "login_session", ["seen_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_login_session_seen_at"), table_name="login_session")
    op.drop_index(op.f("ix_login_session_user_id"), table_name="login_session")
    op.drop_table("login_session")
