"""identity

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 08:03:47.828575
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDIT_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "rate_limit_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_hit")),
    )
    with op.batch_alter_table("rate_limit_hit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_limit_hit_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_rate_limit_hit_bucket"), ["bucket"], unique=False)

    op.create_table(
        "sent_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_mail")),
    )
    op.create_table(
        "mandate",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_user_id", sa.Integer(), nullable=False),
        sa.Column("assistant_user_id", sa.Integer(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("registered_on_paper", sa.Boolean(), nullable=False),
        sa.Column("paper_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["assistant_user_id"], ["user.id"], name=op.f("fk_mandate_assistant_user_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["client_user_id"], ["user.id"], name=op.f("fk_mandate_client_user_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_mandate_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["user.id"], name=op.f("fk_mandate_revoked_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mandate")),
    )
    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mandate_assistant_user_id"), ["assistant_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mandate_client_user_id"), ["client_user_id"], unique=False
        )

    op.create_table(
        "provider_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("used_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["user.id"], name=op.f("fk_provider_invitation_invited_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_provider_invitation_provider_id_provider"),
        ),
        sa.ForeignKeyConstraint(
            ["used_by_id"], ["user.id"], name=op.f("fk_provider_invitation_used_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_provider_invitation_token_hash")),
    )
    with op.batch_alter_table("provider_invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_invitation_provider_id"), ["provider_id"], unique=False
        )

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )

    # The audit trail is append-only: PostgreSQL refuses any UPDATE or DELETE of its rows.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(AUDIT_APPEND_ONLY)
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_generation")

    with op.batch_alter_table("provider_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_invitation_provider_id"))

    op.drop_table("provider_invitation")
    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mandate_client_user_id"))
        batch_op.drop_index(batch_op.f("ix_mandate_assistant_user_id"))

    op.drop_table("mandate")
    op.drop_table("sent_mail")
    with op.batch_alter_table("rate_limit_hit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_limit_hit_bucket"))
        batch_op.drop_index(batch_op.f("ix_rate_limit_hit_at"))

    op.drop_table("rate_limit_hit")
