"""The table of values a concurrent edit replaced: whose record, which information, the
value kept, the value replaced, and where and when the replaced one had been written.

Field names become the labels of the forms (the beneficiary form's above all), stored
codes become their words (``F`` → "Female"), computers are named as a coordinator knows
them ("this computer", "the delegation"); all made at display time, in the window's
language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.i18n import N_, _, format_datetime, ltr
from app.sync.conflicts import ELSEWHERE, HERE, ConflictRecord, Writer
from app.ui.table_models.record_list import Column, RecordListModel
from app.ui.widgets.beneficiary_form import FIELDS as BENEFICIARY_FIELDS
from app.vocabulary import (
    AttendanceStatus,
    EnrolmentStatus,
    EventKind,
    FollowUpOutcome,
    Labelled,
    ParticipantRole,
    SessionStatus,
)

RECORD_KINDS: dict[str, str] = {
    "beneficiary": N_("Beneficiary"),
    "enrolment": N_("Enrolment in a group"),
    "attendance": N_("Attendance"),
    "session": N_("Session"),
    "study_group": N_("Group"),
    "follow_up": N_("Follow-up"),
    "event": N_("Event"),
    "event_participant": N_("Event participant"),
    "certificate": N_("Certificate"),
    "staff": N_("Staff member"),
    "centre": N_("Centre"),
}

# The labels of other records' fields, where a beneficiary form's label does not apply.
FIELD_LABELS: dict[str, str] = {
    **{field: label for field, label, _kind in BENEFICIARY_FIELDS},
    "status": N_("Status"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "reason": N_("Reason"),
    "mention": N_("Mention"),
    "date": N_("Date"),
    "outcome": N_("Situation"),
    "organisation": N_("Organisation"),
    "details": N_("Details"),
    "name": N_("Name"),
    "name_ar": N_("Name in Arabic"),
    "name_fr": N_("Name in French"),
    "role": N_("Role"),
    "kind": N_("Kind"),
    "title_ar": N_("Title in Arabic"),
    "title_fr": N_("Title in French"),
    "place": N_("Place"),
}

# Fields holding a code of a vocabulary, shown by its word.
VOCABULARIES: dict[tuple[str, str], type[Labelled]] = {
    **{
        ("beneficiary", field): kind
        for field, _label, kind in BENEFICIARY_FIELDS
        if isinstance(kind, type) and issubclass(kind, Labelled)
    },
    ("enrolment", "status"): EnrolmentStatus,
    ("session", "status"): SessionStatus,
    ("attendance", "status"): AttendanceStatus,
    ("follow_up", "outcome"): FollowUpOutcome,
    ("event", "kind"): EventKind,
    ("event_participant", "role"): ParticipantRole,
}


def record_text(conflict: ConflictRecord) -> str:
    """Whose record: the person's name (with the kind of record when it is not her
    file itself), or the kind of record."""
    kind = RECORD_KINDS.get(conflict.table_name)
    kind_text = _(kind) if kind else conflict.table_name
    if conflict.person is None:
        return kind_text
    if conflict.table_name == "beneficiary":
        return conflict.person
    return f"{conflict.person} · {kind_text}"


def field_text(conflict: ConflictRecord) -> str:
    label = FIELD_LABELS.get(conflict.field)
    return _(label) if label else conflict.field


def value_text(conflict: ConflictRecord, value: Any) -> str:
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    vocabulary = VOCABULARIES.get((conflict.table_name, conflict.field))
    if vocabulary is not None and isinstance(value, str):
        try:
            return vocabulary(value).label
        except ValueError:
            return value
    return str(value)


def writer_text(writer: Writer) -> str:
    """The computer a value was written on, as a coordinator knows it."""
    if writer.kind == HERE:
        return _("This computer")
    if writer.kind == "delegation":
        return _("The delegation")
    if writer.kind == ELSEWHERE:
        return _("Another computer")
    return _("Centre {code}").format(code=ltr(writer.code))


def _kept(conflict: ConflictRecord) -> str:
    return value_text(conflict, conflict.kept_value)


def _lost(conflict: ConflictRecord) -> str:
    return value_text(conflict, conflict.lost_value)


def _written(writer: Writer, moment: dt.datetime) -> str:
    return f"{writer_text(writer)} · {format_datetime(moment)}"


CONFLICT_COLUMNS: tuple[Column[ConflictRecord], ...] = (
    Column(N_("Record"), record_text),
    Column(N_("Information"), field_text),
    Column(N_("Value kept"), _kept, tooltip=lambda c: _written(c.kept_by, c.kept_at)),
    Column(N_("Value replaced"), _lost, tooltip=lambda c: _written(c.lost_by, c.lost_at)),
    Column(N_("Replaced value written on"), lambda c: _written(c.lost_by, c.lost_at)),
)


class ConflictTableModel(RecordListModel[ConflictRecord]):
    def __init__(self) -> None:
        super().__init__(CONFLICT_COLUMNS, lambda conflict: conflict.id)
