"""notifications: topics that resolve, the per-channel outbox and channel preferences

`notification.topic` names the thing a notification is about; handling the thing sets
`resolved_at` on every notification of that topic. `notification_outbox` holds one row per
notification per channel beyond in-app (e-mail, SMS), leased by the sender so that no
message is sent twice. `notification_preference` holds each person's channels per kind.

Revision ID: 0015_notifications
Revises: 0014_money_guards
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015_notifications"
down_revision: str | None = "0014_money_guards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True)
        )
        batch_op.add_column(
            sa.Column("resolved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_notification_topic"), ["topic"], unique=False)
    op.create_table(
        "notification_outbox",
        *_stamps(),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notification.id"],
            name=op.f("fk_notification_outbox_notification_id_notification"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_outbox")),
        sa.UniqueConstraint(
            "notification_id", "channel", name=op.f("uq_notification_outbox_notification_id")
        ),
    )
    op.create_index(
        op.f("ix_notification_outbox_notification_id"), "notification_outbox", ["notification_id"]
    )
    op.create_index(
        op.f("ix_notification_outbox_next_attempt_at"), "notification_outbox", ["next_attempt_at"]
    )
    op.create_table(
        "notification_preference",
        *_stamps(),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("sms", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notification_preference_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preference")),
        sa.UniqueConstraint("user_id", "kind", name=op.f("uq_notification_preference_user_id")),
    )
    op.create_index(
        op.f("ix_notification_preference_user_id"), "notification_preference", ["user_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_notification_preference_user_id"), table_name="notification_preference")
    op.drop_table("notification_preference")
    op.drop_index(op.f("ix_notification_outbox_next_attempt_at"), table_name="notification_outbox")
    op.drop_index(op.f("ix_notification_outbox_notification_id"), table_name="notification_outbox")
    op.drop_table("notification_outbox")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_topic"))
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("topic")
