"""notification settings: a phone number for text messages and the staff's daily summary

`notification_setting` holds one row per person who saved one: the phone number (E.164) that
text messages go to, and for staff whether e-mail and SMS come as one summary a day. Held
outbox rows wait for that summary; `notification_outbox.digest_run` names the summary run
that took them, so no notice is summarised twice.

Revision ID: 0020_notify_digest_phone
Revises: 0017_disputes
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020_notify_digest_phone"
down_revision: str | None = "0019_settlement_immutable"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification_setting",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("email_digest", sa.Boolean(), nullable=False),
        sa.Column("sms_digest", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notification_setting_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_setting")),
        sa.UniqueConstraint("user_id", name=op.f("uq_notification_setting_user_id")),
    )
    with op.batch_alter_table("notification_outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("digest_run", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_notification_outbox_digest_run"), ["digest_run"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notification_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_outbox_digest_run"))
        batch_op.drop_column("digest_run")
    op.drop_table("notification_setting")
