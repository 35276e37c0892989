"""Indexes for a very large centre: the start screen's month and the search's checks.

Who may be dropping out is summed up from the month's marks: the marks of a session are
read from one index holding all a mark says (no row lookups), the month's sessions of a
group are one range, and each person's sums are joined with her enrolment in group and
person order. A search checks the other words of a query at each person's place in the
two-letter index, which now holds the word itself, so a longer word is checked there too.
Each new index begins with the columns of the one it replaces, which goes.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# table → (index dropped, its columns), (index created, its columns)
CHANGES = (
    (
        "attendance",
        ("ix_attendance_session_id", ["session_id"]),
        ("ix_attendance_session_marks", ["session_id", "status", "beneficiary_id", "cl"]),
    ),
    (
        "session",
        ("ix_session_group_id", ["group_id"]),
        ("ix_session_group_date", ["group_id", "date"]),
    ),
    (
        "enrolment",
        ("ix_enrolment_group_id", ["group_id"]),
        (
            "ix_enrolment_sheet",
            ["group_id", "beneficiary_id", "status", "start_date", "end_date", "cl"],
        ),
    ),
    (
        "beneficiary_search_token",
        ("ix_beneficiary_search_token_head", ["head", "sort_key", "beneficiary_id"]),
        ("ix_beneficiary_search_token_head", ["head", "sort_key", "beneficiary_id", "token"]),
    ),
)


def upgrade() -> None:
    for table, (old, _old_columns), (new, columns) in CHANGES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(old)
            batch_op.create_index(new, columns, unique=False)


def downgrade() -> None:
    for table, (old, old_columns), (new, _columns) in reversed(CHANGES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(new)
            batch_op.create_index(old, old_columns, unique=False)
