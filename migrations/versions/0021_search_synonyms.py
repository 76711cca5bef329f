"""search synonyms an organiser's admin manages

`search_synonym` holds groups of words (Finnish and Swedish lists) that mean the same
service for an organiser, optionally filed under one of its categories. Searches of that
organiser's clients expand a query word of a group to the others, beside the built-in groups.

Revision ID: 0021_search_synonyms
Revises: 0020_notify_digest_phone
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0021_search_synonyms"
down_revision: str | None = "0020_notify_digest_phone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_synonym",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("words_fi", sa.JSON(), nullable=False),
        sa.Column("words_sv", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_search_synonym_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["organiser.id"],
            name=op.f("fk_search_synonym_organiser_id_organiser"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["user.id"], name=op.f("fk_search_synonym_updated_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonym")),
    )
    with op.batch_alter_table("search_synonym", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_synonym_organiser_id"), ["organiser_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("search_synonym", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_synonym_organiser_id"))
    op.drop_table("search_synonym")
