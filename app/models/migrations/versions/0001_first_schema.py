"""The register's first schema, and the shipped regions and provinces.

The 12 regions and 75 provinces/prefectures (2015 division, official geographic codes) are
written as changes of the "genesis" site (all zeros): every replica holds the same entries,
so they never travel in a bundle, and the tables can still be rebuilt from the log alone.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attendance",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attendance_session_id"), ["session_id"], unique=False)

    op.create_table(
        "beneficiary",
        sa.Column("centre_id", sa.Uuid(), nullable=False),
        sa.Column("family_name_ar", sa.String(length=100), nullable=False),
        sa.Column("given_name_ar", sa.String(length=100), nullable=False),
        sa.Column("family_name_latin", sa.String(length=100), nullable=True),
        sa.Column("given_name_latin", sa.String(length=100), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("cin", sa.String(length=12), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("commune_code", sa.String(length=16), nullable=True),
        sa.Column("area", sa.String(length=8), nullable=True),
        sa.Column("marital_status", sa.String(length=16), nullable=True),
        sa.Column("education_level", sa.String(length=16), nullable=True),
        sa.Column("disability", sa.String(length=16), nullable=True),
        sa.Column("rsu_number", sa.String(length=20), nullable=True),
        sa.Column("guardian_name", sa.String(length=200), nullable=True),
        sa.Column("guardian_cin", sa.String(length=12), nullable=True),
        sa.Column("guardian_phone", sa.String(length=20), nullable=True),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("sort_key", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beneficiary")),
    )
    with op.batch_alter_table("beneficiary", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_beneficiary_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_beneficiary_cin"), ["cin"], unique=False)
        batch_op.create_index(batch_op.f("ix_beneficiary_sort_key"), ["sort_key"], unique=False)

    op.create_table(
        "beneficiary_search_token",
        sa.Column(
            "token",
            sa.String(length=120).with_variant(sa.String(length=120, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "sort_key",
            sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column(
            "initial",
            sa.String(length=1).with_variant(sa.String(length=1, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "head",
            sa.String(length=2).with_variant(sa.String(length=2, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint(
            "token", "sort_key", "beneficiary_id", name=op.f("pk_beneficiary_search_token")
        ),
    )
    with op.batch_alter_table("beneficiary_search_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_beneficiary_search_token_beneficiary_id"),
            ["beneficiary_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_beneficiary_search_token_initial",
            ["initial", "sort_key", "beneficiary_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_beneficiary_search_token_head",
            ["head", "sort_key", "beneficiary_id"],
            unique=False,
        )

    op.create_table(
        "centre",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_ar", sa.String(length=200), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("province_code", sa.String(length=16), nullable=False),
        sa.Column("commune_code", sa.String(length=16), nullable=True),
        sa.Column("management_mode", sa.String(length=16), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre")),
    )
    with op.batch_alter_table("centre", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_centre_code"), ["code"], unique=False)

    op.create_table(
        "certificate",
        sa.Column("centre_id", sa.Uuid(), nullable=False),
        sa.Column("serial", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("enrolment_id", sa.Uuid(), nullable=True),
        sa.Column("participant_id", sa.Uuid(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("print_count", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificate_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_certificate_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificate_serial"), ["serial"], unique=False)

    op.create_table(
        "change_log",
        sa.Column("origin_site", sa.String(length=32), nullable=False),
        sa.Column("origin_seq", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("hlc_wall", sa.BigInteger(), nullable=False),
        sa.Column("hlc_counter", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("origin_site", "origin_seq", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_row_id"), ["row_id"], unique=False)

    op.create_table(
        "enrolment",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("mention", sa.String(length=60), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
    )
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrolment_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_enrolment_group_id"), ["group_id"], unique=False)

    op.create_table(
        "event",
        sa.Column("centre_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title_ar", sa.String(length=200), nullable=False),
        sa.Column("title_fr", sa.String(length=200), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_centre_id"), ["centre_id"], unique=False)

    op.create_table(
        "event_participant",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("guest_name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_participant")),
    )
    with op.batch_alter_table("event_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_participant_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_participant_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "follow_up",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("enrolment_id", sa.Uuid(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_beneficiary_id"), ["beneficiary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_follow_up_enrolment_id"), ["enrolment_id"], unique=False
        )

    op.create_table(
        "partner_association",
        sa.Column("name_ar", sa.String(length=200), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=True),
        sa.Column("agreement_ref", sa.String(length=64), nullable=True),
        sa.Column("agreement_start", sa.Date(), nullable=True),
        sa.Column("agreement_end", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_association")),
    )
    op.create_table(
        "programme",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_ar", sa.String(length=200), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=False),
        sa.Column("centre_kind", sa.String(length=32), nullable=False),
        sa.Column("planned_hours", sa.Integer(), nullable=True),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
    )
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_code"), ["code"], unique=False)

    op.create_table(
        "season",
        sa.Column("label", sa.String(length=9), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_season")),
    )
    with op.batch_alter_table("season", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_season_label"), ["label"], unique=False)

    op.create_table(
        "session",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session")),
    )
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_session_group_id"), ["group_id"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "site",
        sa.Column("site_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("centre_id", sa.Uuid(), nullable=True),
        sa.Column("province_code", sa.String(length=16), nullable=True),
        sa.Column("hlc_wall", sa.BigInteger(), nullable=False),
        sa.Column("hlc_counter", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("retired_site_ids", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_site")),
    )
    op.create_table(
        "staff",
        sa.Column("centre_id", sa.Uuid(), nullable=False),
        sa.Column("family_name_ar", sa.String(length=100), nullable=False),
        sa.Column("given_name_ar", sa.String(length=100), nullable=False),
        sa.Column("family_name_latin", sa.String(length=100), nullable=True),
        sa.Column("given_name_latin", sa.String(length=100), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("cin", sa.String(length=12), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_centre_id"), ["centre_id"], unique=False)

    op.create_table(
        "study_group",
        sa.Column("centre_id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("season_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("educator_id", sa.Uuid(), nullable=True),
        sa.Column("days", sa.String(length=27), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=True),
        sa.Column("end_time", sa.String(length=5), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("room", sa.String(length=60), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_group")),
    )
    with op.batch_alter_table("study_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_group_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_study_group_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_study_group_season_id"), ["season_id"], unique=False)

    op.create_table(
        "territory_unit",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=16), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("name_fr", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("area", sa.String(length=8), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_territory_unit")),
    )
    with op.batch_alter_table("territory_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_territory_unit_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_territory_unit_parent_code"), ["parent_code"], unique=False
        )

    _seed_territory()


GENESIS_SITE = "0" * 32
NAMESPACE = uuid.UUID("5b1c7f3e-2d94-4c0a-9a51-53494a494c4c")
TERRITORY_CSV = Path(__file__).resolve().parent.parent / "data" / "territory-2015.csv"


def _seed_territory() -> None:
    units = sa.table(
        "territory_unit",
        sa.column("id", sa.Uuid()),
        sa.column("cl", sa.Integer()),
        sa.column("code", sa.String()),
        sa.column("parent_code", sa.String()),
        sa.column("level", sa.String()),
        sa.column("name_fr", sa.String()),
        sa.column("name_ar", sa.String()),
        sa.column("area", sa.String()),
    )
    log = sa.table(
        "change_log",
        sa.column("origin_site", sa.String()),
        sa.column("origin_seq", sa.BigInteger()),
        sa.column("table_name", sa.String()),
        sa.column("row_id", sa.Uuid()),
        sa.column("cl", sa.Integer()),
        sa.column("fields", sa.Text()),
        sa.column("hlc_wall", sa.BigInteger()),
        sa.column("hlc_counter", sa.Integer()),
    )
    rows, entries = [], []
    with TERRITORY_CSV.open(encoding="utf-8") as handle:
        for seq, line in enumerate(csv.DictReader(handle), start=1):
            row_id = uuid.uuid5(NAMESPACE, f"territory/{line['code']}")
            fields = {
                "area": None,
                "code": line["code"],
                "level": line["level"],
                "name_ar": line["name_ar"],
                "name_fr": line["name_fr"],
                "parent_code": line["parent"] or None,
            }
            rows.append({"id": row_id, "cl": 1, **fields})
            entries.append(
                {
                    "origin_site": GENESIS_SITE,
                    "origin_seq": seq,
                    "table_name": "territory_unit",
                    "row_id": row_id,
                    "cl": 1,
                    "fields": json.dumps(
                        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False
                    ),
                    "hlc_wall": 0,
                    "hlc_counter": 0,
                }
            )
    op.bulk_insert(units, rows)
    op.bulk_insert(log, entries)


def downgrade() -> None:
    with op.batch_alter_table("territory_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_territory_unit_parent_code"))
        batch_op.drop_index(batch_op.f("ix_territory_unit_code"))

    op.drop_table("territory_unit")
    with op.batch_alter_table("study_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_group_season_id"))
        batch_op.drop_index(batch_op.f("ix_study_group_programme_id"))
        batch_op.drop_index(batch_op.f("ix_study_group_centre_id"))

    op.drop_table("study_group")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_centre_id"))

    op.drop_table("staff")
    op.drop_table("site")
    op.drop_table("setting")
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_group_id"))
        batch_op.drop_index(batch_op.f("ix_session_date"))

    op.drop_table("session")
    with op.batch_alter_table("season", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_season_label"))

    op.drop_table("season")
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_code"))

    op.drop_table("programme")
    op.drop_table("partner_association")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_enrolment_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_beneficiary_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("event_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_participant_event_id"))
        batch_op.drop_index(batch_op.f("ix_event_participant_beneficiary_id"))

    op.drop_table("event_participant")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_centre_id"))

    op.drop_table("event")
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolment_group_id"))
        batch_op.drop_index(batch_op.f("ix_enrolment_beneficiary_id"))

    op.drop_table("enrolment")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_row_id"))

    op.drop_table("change_log")
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_serial"))
        batch_op.drop_index(batch_op.f("ix_certificate_centre_id"))
        batch_op.drop_index(batch_op.f("ix_certificate_beneficiary_id"))

    op.drop_table("certificate")
    with op.batch_alter_table("centre", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_centre_code"))

    op.drop_table("centre")
    with op.batch_alter_table("beneficiary_search_token", schema=None) as batch_op:
        batch_op.drop_index("ix_beneficiary_search_token_head")
        batch_op.drop_index("ix_beneficiary_search_token_initial")
        batch_op.drop_index(batch_op.f("ix_beneficiary_search_token_beneficiary_id"))

    op.drop_table("beneficiary_search_token")
    with op.batch_alter_table("beneficiary", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_beneficiary_sort_key"))
        batch_op.drop_index(batch_op.f("ix_beneficiary_cin"))
        batch_op.drop_index(batch_op.f("ix_beneficiary_centre_id"))

    op.drop_table("beneficiary")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_session_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_beneficiary_id"))

    op.drop_table("attendance")
