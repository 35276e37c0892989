"""The tables of the events screen: the centre's events, the people at one event, the
people a search found to add, the graduates and one graduate's follow-ups.

Cells are made at display time, so kinds, roles and outcomes follow the language of the
window. Graduates with no news for six months are tinted, so they stand out in the whole
list and not only when the list is narrowed to them.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.i18n import N_, _, current_language, format_number, isolated, ltr, ngettext
from app.services.events import EventRecord, ParticipantRecord
from app.services.followups import FollowUpRecord, GraduateRecord
from app.ui.style import ALERT
from app.ui.table_models.people_found import FoundPeopleModel
from app.ui.table_models.record_list import Column, Index, RecordListModel
from app.vocabulary import EventKind, FollowUpOutcome, ParticipantRole

# The alert colour, faint: a background that marks a row without shouting.
_TINT = QColor(ALERT)
_TINT.setAlpha(28)
NO_NEWS_BRUSH = QBrush(_TINT)


def event_title(event: EventRecord) -> str:
    """The title in the window's language: the French one in French, when there is one."""
    if current_language() != "ar" and event.title_fr:
        return event.title_fr
    return event.title_ar


def _other_title(event: EventRecord) -> str:
    shown = event_title(event)
    return event.title_fr if shown == event.title_ar and event.title_fr else event.title_ar


def _people(event: EventRecord) -> str:
    return format_number(event.participants)


def people_summary(event: EventRecord) -> str:
    """ "12 participants · 2 speakers or organisers"."""
    people = ngettext("{n} participant", "{n} participants", event.participants)
    speakers = ngettext("{n} speaker or organiser", "{n} speakers or organisers", event.speakers)
    return (
        f"{people.format(n=format_number(event.participants))} · "
        f"{speakers.format(n=format_number(event.speakers))}"
    )


def _name_details(person: ParticipantRecord) -> str:
    return person.name_latin or person.name


def programme_name(graduate: GraduateRecord) -> str:
    if current_language() == "ar":
        return graduate.programme_name_ar
    return graduate.programme_name_fr


def _training_details(graduate: GraduateRecord) -> str:
    # Isolated: a season after an Arabic group name would otherwise read 2026-2025.
    text = f"{isolated(graduate.group_name)} · {ltr(graduate.season_label)}"
    if graduate.mention:
        text += " · " + _("Mention: {mention}").format(mention=graduate.mention)
    return text


def latest_news(graduate: GraduateRecord) -> str:
    if graduate.last_outcome is None:
        return _("No news since the training")
    return FollowUpOutcome(graduate.last_outcome).label


def _latest_details(graduate: GraduateRecord) -> str:
    if graduate.last_outcome is None:
        return latest_news(graduate)
    return " · ".join(part for part in (latest_news(graduate), graduate.last_organisation) if part)


def _no_news(graduate: GraduateRecord) -> bool:
    return graduate.no_news


EVENT_COLUMNS: tuple[Column[EventRecord], ...] = (
    Column(N_("Date"), lambda e: e.date.isoformat(), centred=True),
    Column(N_("Kind"), lambda e: EventKind(e.kind).label),
    Column(N_("Title"), event_title, tooltip=_other_title),
    Column(N_("Participants"), _people, tooltip=people_summary, centred=True),
)

PARTICIPANT_COLUMNS: tuple[Column[ParticipantRecord], ...] = (
    Column(N_("Name"), lambda p: p.name, tooltip=_name_details),
    Column(N_("Role"), lambda p: ParticipantRole(p.role).label),
    # Guests only: a beneficiary's place is the centre, said once rather than on every row.
    Column(N_("Organisation"), lambda p: p.organisation or ""),
)

GRADUATE_COLUMNS: tuple[Column[GraduateRecord], ...] = (
    Column(N_("Name"), lambda g: g.full_name_ar, tooltip=lambda g: g.full_name_latin or None),
    Column(N_("Phone"), lambda g: g.phone or "", centred=True),
    Column(N_("Training"), programme_name, tooltip=_training_details),
    Column(N_("Ended on"), lambda g: g.end_date.isoformat(), centred=True),
    Column(N_("Latest news"), latest_news, tooltip=_latest_details),
    Column(N_("Last news on"), lambda g: g.news_date.isoformat(), centred=True, alert=_no_news),
)

FOLLOW_UP_COLUMNS: tuple[Column[FollowUpRecord], ...] = (
    Column(N_("Date"), lambda f: f.date.isoformat(), centred=True),
    Column(N_("Situation"), lambda f: FollowUpOutcome(f.outcome).label),
    Column(N_("Where"), lambda f: f.organisation or ""),
    Column(N_("Details"), lambda f: f.details or ""),
)


class EventTableModel(RecordListModel[EventRecord]):
    def __init__(self) -> None:
        super().__init__(EVENT_COLUMNS, lambda e: e.id)


class ParticipantTableModel(RecordListModel[ParticipantRecord]):
    def __init__(self) -> None:
        super().__init__(PARTICIPANT_COLUMNS, lambda p: p.id)

    def beneficiary_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(p.beneficiary_id for p in self.records() if p.beneficiary_id)


class FoundTableModel(FoundPeopleModel):
    """People a search found to add; those already on the event's list cannot be chosen."""

    already = N_("Already on the list of this event")


class GraduateTableModel(RecordListModel[GraduateRecord]):
    def __init__(self) -> None:
        super().__init__(GRADUATE_COLUMNS, lambda g: g.beneficiary_id)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.BackgroundRole:
            graduate = self.record_of(index)
            return NO_NEWS_BRUSH if graduate is not None and graduate.no_news else None
        return super().data(index, role)


class FollowUpTableModel(RecordListModel[FollowUpRecord]):
    def __init__(self) -> None:
        super().__init__(FOLLOW_UP_COLUMNS, lambda f: f.id)
