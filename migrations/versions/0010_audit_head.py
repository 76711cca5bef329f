"""audit head: where the keyed audit chain ends

From this revision on every audit row is chained with HMAC-SHA256 keyed by HEBU_AUDIT_KEY,
and `audit_head` (one row, sealed with the same key) records the chain's end. The rows that
exist when this runs keep their plain SHA-256 chain: they are not rewritten (the trail is
append-only); the head records them as the legacy part (`legacy_last_id`, and the hash of
its last row), so `hebu audit verify` checks them with the old scheme up to that boundary and
any later rewrite of them is found. Set HEBU_AUDIT_KEY before upgrading: the head is sealed
with the key in force at upgrade time.

Revision ID: 0010_audit_head
Revises: 0009_reports
"""

import hmac
import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.config import get_settings

revision: str = "0010_audit_head"
down_revision: str | None = "0009_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64

HEAD_KEEP = """
CREATE OR REPLACE FUNCTION audit_head_keep() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_head cannot be deleted';
END;
$$ LANGUAGE plpgsql
"""


def _mac(key: bytes, fields: dict[str, object]) -> str:
    # A frozen copy of app.services.audit.head_mac at this revision.
    message = "audit-head:" + json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, message.encode(), "sha256").hexdigest()


def upgrade() -> None:
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("legacy_last_id", sa.Integer(), nullable=False),
        sa.Column("legacy_last_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("mac", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    bind = op.get_bind()
    last = bind.execute(
        sa.text("SELECT id, row_hash FROM audit_event ORDER BY id DESC LIMIT 1")
    ).first()
    count = bind.execute(sa.text("SELECT count(*) FROM audit_event")).scalar_one()
    last_id, last_hash = (last[0], last[1]) if last else (0, GENESIS)
    fields: dict[str, object] = {
        "legacy_last_id": last_id,
        "legacy_last_hash": last_hash,
        "last_id": last_id,
        "last_hash": last_hash,
        "row_count": count,
    }
    mac = _mac(get_settings().audit_key.encode(), fields)
    op.bulk_insert(head, [{"id": 1, **fields, "mac": mac}])
    if bind.dialect.name == "postgresql":
        op.execute(HEAD_KEEP)
        op.execute(
            "CREATE TRIGGER audit_head_keep BEFORE DELETE ON audit_head "
            "FOR EACH ROW EXECUTE FUNCTION audit_head_keep()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_head_keep ON audit_head")
        op.execute("DROP FUNCTION IF EXISTS audit_head_keep()")
    op.drop_table("audit_head")
