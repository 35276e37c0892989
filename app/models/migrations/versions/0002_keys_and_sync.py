"""Keys and sync: this replica's sealed keys and the identities it trusts.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_key",
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("sign_public", sa.LargeBinary(), nullable=False),
        sa.Column("box_public", sa.LargeBinary(), nullable=False),
        sa.Column("sealed_private", sa.LargeBinary(), nullable=False),
        sa.Column("protection", sa.String(length=16), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=True),
        sa.Column("kdf_ops", sa.Integer(), nullable=True),
        sa.Column("kdf_mem", sa.BigInteger(), nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_local_key")),
    )
    op.create_table(
        "trusted_key",
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("site_id", sa.String(length=32), nullable=False),
        sa.Column("sign_public", sa.LargeBinary(), nullable=False),
        sa.Column("box_public", sa.LargeBinary(), nullable=False),
        sa.Column("trusted_ms", sa.BigInteger(), nullable=False),
        sa.Column("revoked_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_trusted_key")),
    )
    with op.batch_alter_table("trusted_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trusted_key_code"), ["code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("trusted_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trusted_key_code"))

    op.drop_table("trusted_key")
    op.drop_table("local_key")
