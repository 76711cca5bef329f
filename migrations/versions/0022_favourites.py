"""favourites: a client's shortlist of offers

`favourite` holds one row per offer on a client's shortlist (unique per client and offer),
with who added it (the client, or an HB assistant acting for them); removing sets
`removed_at`, adding again clears it.

Revision ID: 0022_favourites
Revises: 0021_search_synonyms
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022_favourites"
down_revision: str | None = "0021_search_synonyms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "favourite",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("removed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["user.id"], name=op.f("fk_favourite_client_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offer.id"], name=op.f("fk_favourite_offer_id_offer")
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["user.id"], name=op.f("fk_favourite_added_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_favourite")),
    )
    with op.batch_alter_table("favourite", schema=None) as batch_op:
        batch_op.create_index("uq_favourite_client_offer", ["client_id", "offer_id"], unique=True)
        batch_op.create_index(batch_op.f("ix_favourite_offer_id"), ["offer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("favourite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_favourite_offer_id"))
        batch_op.drop_index("uq_favourite_client_offer")
    op.drop_table("favourite")
