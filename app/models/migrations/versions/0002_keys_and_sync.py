"""Keys and sync: sealed keys, trusted identities, and what each exchange needs.

The change log learns each change's base clock (what its writer had seen of the row) and
its scope (the centre it belongs to); the sync tables keep the import ledger, the peers'
acknowledgements, this replica's coverage of each origin, and the conflict log.

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
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("base_wall", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("base_counter", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("scope", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_change_log_scope"), ["scope"], unique=False)
    op.create_table(
        "sync_import",
        sa.Column("bundle_id", sa.String(length=32), nullable=False),
        sa.Column("sender_key_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("imported_ms", sa.BigInteger(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_sync_import")),
    )
    with op.batch_alter_table("sync_import", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_import_sender_key_id"), ["sender_key_id"], unique=False
        )
    op.create_table(
        "sync_export",
        sa.Column("bundle_id", sa.String(length=32), nullable=False),
        sa.Column("recipient_key_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("exported_ms", sa.BigInteger(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_sync_export")),
    )
    with op.batch_alter_table("sync_export", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_export_recipient_key_id"), ["recipient_key_id"], unique=False
        )
    op.create_table(
        "sync_peer_origin",
        sa.Column("peer_key_id", sa.String(length=64), nullable=False),
        sa.Column("origin_site", sa.String(length=32), nullable=False),
        sa.Column("acked_seq", sa.BigInteger(), nullable=False),
        sa.Column("acked_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("peer_key_id", "origin_site", name=op.f("pk_sync_peer_origin")),
    )
    op.create_table(
        "sync_coverage",
        sa.Column("origin_site", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("origin_site", name=op.f("pk_sync_coverage")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("lost_value", sa.Text(), nullable=False),
        sa.Column("kept_value", sa.Text(), nullable=False),
        sa.Column("lost_site", sa.String(length=32), nullable=False),
        sa.Column("kept_site", sa.String(length=32), nullable=False),
        sa.Column("lost_wall", sa.BigInteger(), nullable=False),
        sa.Column("kept_wall", sa.BigInteger(), nullable=False),
        sa.Column("detected_ms", sa.BigInteger(), nullable=False),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflict_row_id"), ["row_id"], unique=False)
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
    op.create_table(
        "duplicate_candidate",
        sa.Column("first_id", sa.Uuid(), nullable=False),
        sa.Column("second_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("centre_id", sa.Uuid(), nullable=True),
        sa.Column("kept_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_candidate")),
    )
    with op.batch_alter_table("duplicate_candidate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_candidate_centre_id"), ["centre_id"])
        batch_op.create_index(batch_op.f("ix_duplicate_candidate_first_id"), ["first_id"])
        batch_op.create_index(batch_op.f("ix_duplicate_candidate_second_id"), ["second_id"])

    # -- certificates: what was certified, kept as signed (app/models/certificate.py) --
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holder_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("hours", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("mention", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("payload", sa.Text(), nullable=True))
    # -- end of certificates --

    # -- centre closures: days the whole centre is shut (app/models/closure.py) --
    op.create_table(
        "centre_closure",
        sa.Column("centre_id", sa.Uuid(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre_closure")),
    )
    with op.batch_alter_table("centre_closure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_centre_closure_centre_id"), ["centre_id"])
    # -- end of centre closures --


def downgrade() -> None:
    # -- centre closures --
    with op.batch_alter_table("centre_closure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_centre_closure_centre_id"))
    op.drop_table("centre_closure")
    # -- end of centre closures --

    # -- certificates --
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_column("payload")
        batch_op.drop_column("mention")
        batch_op.drop_column("hours")
        batch_op.drop_column("holder_name")
    # -- end of certificates --

    op.drop_table("duplicate_candidate")
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflict_row_id"))
    op.drop_table("sync_conflict")
    op.drop_table("sync_coverage")
    op.drop_table("sync_peer_origin")
    with op.batch_alter_table("sync_export", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_export_recipient_key_id"))
    op.drop_table("sync_export")
    with op.batch_alter_table("sync_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_import_sender_key_id"))
    op.drop_table("sync_import")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_scope"))
        batch_op.drop_column("scope")
        batch_op.drop_column("base_counter")
        batch_op.drop_column("base_wall")
    with op.batch_alter_table("trusted_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trusted_key_code"))

    op.drop_table("trusted_key")
    op.drop_table("local_key")
