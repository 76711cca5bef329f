"""settlement immutable: approved settlements are sealed and their lines can't change

- `settlement.approved_digest`: the digest of the lines (and the ledger entries each settles)
  taken when the settlement was approved; `hebu ledger verify` recomputes it (the check on
  SQLite). Settlements approved before this migration are sealed as they are now.
- PostgreSQL: triggers refuse any INSERT, UPDATE or DELETE of `settlement_line` and
  `settlement_entry` rows of a settlement that is no longer open, changing the seal once set,
  and deleting a settlement that is no longer open.
- `organiser.bank_account_name`: the account holder's name the bank file gives as the payer
  (set with the IBAN and BIC on the organiser admin's bank account page).

Revision ID: 0019_settlement_immutable
Revises: 0017_disputes
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019_settlement_immutable"
down_revision: str | None = "0018_teaming_arm"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LINE_FROZEN = """
CREATE OR REPLACE FUNCTION settlement_line_frozen() RETURNS trigger AS $$
DECLARE
    ids integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY[NEW.settlement_id];
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY[OLD.settlement_id];
    ELSE
        ids := ARRAY[OLD.settlement_id, NEW.settlement_id];
    END IF;
    IF EXISTS (SELECT 1 FROM settlement WHERE id = ANY(ids) AND status <> 'open') THEN
        RAISE EXCEPTION 'settlement_line of an approved settlement can not be changed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;
"""

ENTRY_FROZEN = """
CREATE OR REPLACE FUNCTION settlement_entry_frozen() RETURNS trigger AS $$
DECLARE
    ids integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY[NEW.settlement_line_id];
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY[OLD.settlement_line_id];
    ELSE
        ids := ARRAY[OLD.settlement_line_id, NEW.settlement_line_id];
    END IF;
    IF EXISTS (
        SELECT 1 FROM settlement_line l JOIN settlement s ON s.id = l.settlement_id
        WHERE l.id = ANY(ids) AND s.status <> 'open'
    ) THEN
        RAISE EXCEPTION 'settlement_entry of an approved settlement can not be changed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;
"""

SETTLEMENT_SEALED = """
CREATE OR REPLACE FUNCTION settlement_sealed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'open' THEN
            RAISE EXCEPTION 'an approved settlement can not be deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'open' AND (
        NEW.approved_digest IS DISTINCT FROM OLD.approved_digest
        OR NEW.approved_at IS DISTINCT FROM OLD.approved_at
        OR NEW.status = 'open'
        OR NEW.organiser_id <> OLD.organiser_id
        OR NEW.provider_id <> OLD.provider_id
        OR NEW.period_start <> OLD.period_start
        OR NEW.reference <> OLD.reference
    ) THEN
        RAISE EXCEPTION 'an approved settlement can not be changed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = (
    ("settlement_line_frozen", "settlement_line", "INSERT OR UPDATE OR DELETE", LINE_FROZEN),
    ("settlement_entry_frozen", "settlement_entry", "INSERT OR UPDATE OR DELETE", ENTRY_FROZEN),
    ("settlement_sealed", "settlement", "UPDATE OR DELETE", SETTLEMENT_SEALED),
)


def _seal_existing() -> None:
    """Seal what is approved already, as it stands (before the triggers exist)."""
    from app.services.budget.settlement_seal import seal_of

    bind = op.get_bind()
    ids = bind.execute(sa.text("SELECT id FROM settlement WHERE status <> 'open'")).scalars()
    for settlement_id in list(ids):
        bind.execute(
            sa.text("UPDATE settlement SET approved_digest = :d WHERE id = :id"),
            {"d": seal_of(bind, settlement_id), "id": settlement_id},
        )


def upgrade() -> None:
    with op.batch_alter_table("settlement") as batch_op:
        batch_op.add_column(
            sa.Column("approved_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    with op.batch_alter_table("organiser") as batch_op:
        batch_op.add_column(
            sa.Column(
                "bank_account_name", sqlmodel.sql.sqltypes.AutoString(length=70), nullable=True
            )
        )
    _seal_existing()
    if op.get_bind().dialect.name == "postgresql":
        for name, table, events, function in TRIGGERS:
            op.execute(function)
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {events} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table, _events, _function in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    # A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy would drop and recreate
    # `organiser`, which SQLite refuses while other rows point at it.
    op.drop_column("organiser", "bank_account_name")
    op.drop_column("settlement", "approved_digest")
