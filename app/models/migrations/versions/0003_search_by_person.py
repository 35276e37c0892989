"""Search: a person's index words keyed by person, then word.

A query of several words reads the range of its most selective word and checks each of
the others against the person's own words; with the word in the index beside the person,
that check is one seek instead of a read of every word the person has. The index on the
person alone is the new one's prefix and goes.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("beneficiary_search_token", schema=None) as batch_op:
        batch_op.drop_index("ix_beneficiary_search_token_beneficiary_id")
        batch_op.create_index(
            "ix_beneficiary_search_token_person", ["beneficiary_id", "token"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("beneficiary_search_token", schema=None) as batch_op:
        batch_op.drop_index("ix_beneficiary_search_token_person")
        batch_op.create_index(
            "ix_beneficiary_search_token_beneficiary_id", ["beneficiary_id"], unique=False
        )
