"""own share: what the payment provider reported, and the refund outbox

- `payment.provider_status`, `received_cents`, `reported_refunded_cents`, `disputed_cents`:
  the provider's view of each payment, reconciled by `hebu ledger verify`.
- `payment.refund_sent_cents`: refunds Stripe has accepted; a refund is posted in the ledger
  first and sent after the commit, so `refunded_cents - refund_sent_cents` is still to send.

Revision ID: 0016_own_share
Revises: 0015_notifications
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_own_share"
down_revision: str | None = "0015_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CENTS_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # as models/base.cents_column
CENTS = ("received_cents", "reported_refunded_cents", "disputed_cents", "refund_sent_cents")


def upgrade() -> None:
    with op.batch_alter_table("payment") as batch:
        batch.add_column(
            sa.Column("provider_status", sa.String(length=40), nullable=False, server_default="")
        )
        for name in CENTS:
            batch.add_column(sa.Column(name, CENTS_TYPE, nullable=False, server_default="0"))
    # Refunds recorded before this revision were sent in the same request.
    op.execute("UPDATE payment SET refund_sent_cents = refunded_cents")


def downgrade() -> None:
    with op.batch_alter_table("payment") as batch:
        for name in ("provider_status", *CENTS):
            batch.drop_column(name)
