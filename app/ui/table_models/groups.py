"""The tables of the groups screen: the season's groups, a group's members, and the people
a search found to enrol.

Cells are made at display time, so statuses, weekday names and programme names follow the
language of the window.
"""

from __future__ import annotations

from app.i18n import N_, _, current_language, format_number, is_rtl
from app.services.groups import MemberRecord
from app.services.records import GroupRecord
from app.ui.table_models.people_found import FoundPeopleModel
from app.ui.table_models.record_list import Column, RecordListModel
from app.vocabulary import EnrolmentStatus, Weekday


def programme_name(group: GroupRecord) -> str:
    return group.programme_name_ar if current_language() == "ar" else group.programme_name_fr


def schedule(group: GroupRecord) -> str:
    """ "Monday, Wednesday · 09:00–12:00" with the weekday names of the window's language."""
    comma = "، " if is_rtl() else ", "
    days = comma.join(Weekday(day).label for day in group.days)
    if group.start_time and group.end_time:
        return f"{days} · {group.start_time}–{group.end_time}"
    return days


def places(group: GroupRecord) -> str:
    enrolled = format_number(group.enrolled)
    if group.capacity is None:
        return enrolled
    return _("{enrolled} of {capacity}").format(
        enrolled=enrolled, capacity=format_number(group.capacity)
    )


def is_full(group: GroupRecord) -> bool:
    return group.capacity is not None and group.enrolled >= group.capacity


def status_text(member: MemberRecord) -> str:
    return EnrolmentStatus(member.status).label


def status_details(member: MemberRecord) -> str:
    """What the status leaves out: the mention earned, or why the person left."""
    if member.mention:
        return _("Mention: {mention}").format(mention=member.mention)
    if member.reason:
        return _("Reason: {reason}").format(reason=member.reason)
    return status_text(member)


def latin_or_arabic(member: MemberRecord) -> str:
    return member.full_name_latin or member.full_name_ar


GROUP_COLUMNS: tuple[Column[GroupRecord], ...] = (
    Column(N_("Group"), lambda g: g.name),
    Column(N_("Programme"), programme_name, tooltip=lambda g: g.programme_code),
    Column(N_("Days and hours"), schedule),
    Column(N_("Enrolled"), places, centred=True, alert=is_full),
)

MEMBER_COLUMNS: tuple[Column[MemberRecord], ...] = (
    Column(N_("Name"), lambda m: m.full_name_ar, tooltip=latin_or_arabic),
    Column(N_("ID card no."), lambda m: m.cin or "", centred=True),
    Column(N_("Enrolled on"), lambda m: m.start_date.isoformat(), centred=True),
    Column(N_("Situation"), status_text, tooltip=status_details),
    Column(N_("Left on"), lambda m: m.end_date.isoformat() if m.end_date else "", centred=True),
)


class GroupTableModel(RecordListModel[GroupRecord]):
    def __init__(self) -> None:
        super().__init__(GROUP_COLUMNS, lambda g: g.id)


class MemberTableModel(RecordListModel[MemberRecord]):
    def __init__(self) -> None:
        super().__init__(
            MEMBER_COLUMNS,
            lambda m: m.beneficiary_id,
            faded=lambda m: m.status != EnrolmentStatus.ACTIVE,
        )


class CandidateTableModel(FoundPeopleModel):
    """People a search found to enrol; those already in the group cannot be chosen."""

    already = N_("Already in this group")
