"""The table of possible duplicates: why the two records look like one person, and the
two records (name, CIN, centre), and their birth date."""

from __future__ import annotations

from app.i18n import N_, _, format_date, ltr
from app.services.duplicates import CandidateRecord, Person
from app.ui.table_models.record_list import Column, RecordListModel

REASONS = {"cin": N_("Same ID card number"), "name_birth": N_("Same name and birth date")}


def reason_text(pair: CandidateRecord) -> str:
    reason = REASONS.get(pair.reason)
    return _(reason) if reason else pair.reason


def person_text(person: Person) -> str:
    """The name, then the CIN and the centre when known."""
    parts = [person.full_name_ar]
    if person.cin:
        parts.append(ltr(person.cin))
    if person.centre_code:
        parts.append(ltr(person.centre_code))
    return " · ".join(parts)


def birth_text(pair: CandidateRecord) -> str:
    """The birth date both records give; both when they differ (a pair by CIN)."""
    first, second = pair.first.birth_date, pair.second.birth_date
    if first == second:
        return format_date(first)
    return f"{format_date(first)} / {format_date(second)}"


DUPLICATE_COLUMNS: tuple[Column[CandidateRecord], ...] = (
    Column(N_("Why"), reason_text),
    Column(N_("First record"), lambda p: person_text(p.first)),
    Column(N_("Second record"), lambda p: person_text(p.second)),
    Column(N_("Birth date"), birth_text, centred=True),
)


class DuplicateTableModel(RecordListModel[CandidateRecord]):
    def __init__(self) -> None:
        super().__init__(DUPLICATE_COLUMNS, lambda pair: pair.id)
