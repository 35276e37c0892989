"""The tables of a summary, in a reader's language: one definition for every output.

The printed report (app/pdf/summary.py), its spreadsheet (app/services/summary_workbook.py)
and the text of ``sijill stats`` all lay out these tables, so their rows, columns and
numbers cannot drift apart. A cell holds what it shows: text, a count (int), an
attendance rate in percent (float), or None for a rate with no marks behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from babel.numbers import format_decimal

from app.i18n import N_, babel_locale, format_date, translations
from app.services.summaries import (
    AGE_BANDS,
    MONTH,
    NO_DISABILITY,
    NO_FOLLOW_UP,
    UNKNOWN,
    AttendanceFigures,
    EnrolmentCounts,
    PeopleCounts,
    Summary,
)
from app.vocabulary import LABELS, Area, AttendanceStatus, Disability, FollowUpOutcome, Sex

Cell = str | int | float | None
Translate = Callable[[str], str]

MONTH_TITLE = N_("Monthly activity report")
SEASON_TITLE = N_("Season's balance")

KEY_FIGURES = N_("Key figures")
PEOPLE = N_("Beneficiaries by sex, area, age and disability")
PEOPLE_SHORT = N_("Beneficiaries")
PROGRAMMES = N_("By programme")
GROUPS = N_("By group")
REASONS = N_("Dropouts by reason")
FOLLOW_UPS_MONTH = N_("Follow-up after training")
FOLLOW_UPS_SEASON = N_("What became of the season's graduates")
MONTHS = N_("Attendance by month")

INDICATOR = N_("Indicator")
NUMBER = N_("Number")
CATEGORY = N_("Category")
PROGRAMME = N_("Programme")
GROUP = N_("Group")
MONTH_HEAD = N_("Month")
REASON = N_("Reason")
OUTCOME = N_("Outcome")
PEOPLE_HEAD = N_("People")
ENROLLED = N_("Enrolled")
NEW = N_("New")
JOINED = N_("Joined")
COMPLETED = N_("Completed training")
DROPOUTS = N_("Dropouts")
TRANSFERS = N_("Transfers")
GROUP_COUNT = N_("Groups")
SESSIONS_HELD = N_("Sessions held")
MARKS = N_("Attendance marks")
RATE = N_("Attendance rate")
TOTAL = N_("Total")
ALL_BENEFICIARIES = N_("All beneficiaries")

BENEFICIARIES_ENROLLED = N_("Beneficiaries enrolled")
NEW_BENEFICIARIES = N_("New beneficiaries")
ENROLMENTS = N_("Enrolments in groups")
GROUP_SESSIONS = N_("Group sessions held")
SESSION_DAYS = N_("Days with sessions")
FOLLOWED_MONTH = N_("People followed up")
FOLLOWED_SEASON = N_("Graduates followed up")

SEX = N_("Sex")
AREA = N_("Area")
AGE_BAND = N_("Age band")
DISABILITY = N_("Disability")
NOT_RECORDED = N_("Not recorded")
NO_DISABILITY_LABEL = N_("No disability")
NO_REASON = N_("Reason not given")
NO_FOLLOW_UP_LABEL = N_("No follow-up yet")
UNDER = N_("Under {age} years")
AGES = N_("{low} to {high} years")
AND_OVER = N_("{age} years and over")


@dataclass(frozen=True)
class Column:
    heading: str
    numeric: bool
    #: Share of the table's width on paper (the text columns take more).
    weight: float = 1.0


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    #: "row", "section" (a heading inside the table: its first cell only) or "total".
    kind: str = "row"


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    #: A shorter title where room is short (a spreadsheet's tab); the title otherwise.
    short_title: str | None = None


def title(summary: Summary, t: Translate) -> str:
    return t(MONTH_TITLE if summary.kind == MONTH else SEASON_TITLE)


def age_label(code: str, t: Translate) -> str:
    for band, low, high in AGE_BANDS:
        if band == code:
            if high is None:
                return t(AND_OVER).format(age=low)
            if low == 0:
                return t(UNDER).format(age=high + 1)
            return t(AGES).format(low=low, high=high)
    return code


def _vocabulary(enum: type, code: str, t: Translate) -> str:
    try:
        return t(LABELS[enum(code)])
    except ValueError:
        return code  # a code this version does not know: shown as stored


def _people_rows(
    name: str, counts: tuple[PeopleCounts, ...], label: Callable[[str], str]
) -> list[Row]:
    return [
        Row((name,), "section"),
        *(Row((label(c.key), *_people_cells(c))) for c in counts),
    ]


def _people_cells(counts: PeopleCounts) -> tuple[int, ...]:
    return (counts.enrolled, counts.new, counts.completed, counts.dropped, counts.transferred)


def _enrolment_cells(counts: EnrolmentCounts) -> tuple[int, ...]:
    return (counts.enrolled, counts.joined, counts.completed, counts.dropped, counts.transferred)


def _attendance_cells(figures: AttendanceFigures) -> tuple[Cell, ...]:
    return (figures.sessions_held, figures.attendance_rate)


def key_figures(summary: Summary, t: Translate) -> Table:
    people, attendance = summary.people, summary.attendance
    followed = FOLLOWED_MONTH if summary.kind == MONTH else FOLLOWED_SEASON
    figures: list[tuple[str, Cell]] = [
        (BENEFICIARIES_ENROLLED, people.enrolled),
        (NEW_BENEFICIARIES, people.new),
        (COMPLETED, people.completed),
        (DROPOUTS, people.dropped),
        (TRANSFERS, people.transferred),
        (ENROLMENTS, summary.enrolments.enrolled),
        (GROUP_COUNT, summary.groups),
        (GROUP_SESSIONS, attendance.sessions_held),
        (SESSION_DAYS, summary.session_days),
        (MARKS, attendance.marked),
        (RATE, attendance.attendance_rate),
        (followed, summary.followed_up),
    ]
    return Table(
        "key_figures",
        t(KEY_FIGURES),
        (Column(t(INDICATOR), False, 3.0), Column(t(NUMBER), True)),
        tuple(Row((t(label), value)) for label, value in figures),
    )


def people(summary: Summary, t: Translate) -> Table:
    rows = [
        *_people_rows(t(SEX), summary.by_sex, lambda k: _vocabulary(Sex, k, t)),
        *_people_rows(
            t(AREA),
            summary.by_area,
            lambda k: t(NOT_RECORDED) if k == UNKNOWN else _vocabulary(Area, k, t),
        ),
        *_people_rows(t(AGE_BAND), summary.by_age, lambda k: age_label(k, t)),
        *_people_rows(
            t(DISABILITY),
            summary.by_disability,
            lambda k: (
                t(NO_DISABILITY_LABEL) if k == NO_DISABILITY else _vocabulary(Disability, k, t)
            ),
        ),
        Row((t(ALL_BENEFICIARIES), *_people_cells(summary.people)), "total"),
    ]
    heads = (ENROLLED, NEW, COMPLETED, DROPOUTS, TRANSFERS)
    return Table(
        "people",
        t(PEOPLE),
        (Column(t(CATEGORY), False, 3.0), *(Column(t(h), True) for h in heads)),
        tuple(rows),
        t(PEOPLE_SHORT),
    )


def programmes(summary: Summary, t: Translate, *, language: str) -> Table:
    heads = (GROUP_COUNT, ENROLLED, JOINED, COMPLETED, DROPOUTS, TRANSFERS, SESSIONS_HELD, RATE)
    rows = [
        Row(
            (
                line.name_fr if language == "fr" else line.name_ar,
                line.groups,
                *_enrolment_cells(line.enrolments),
                *_attendance_cells(line.attendance),
            )
        )
        for line in summary.by_programme
    ]
    rows.append(
        Row(
            (
                t(TOTAL),
                summary.groups,
                *_enrolment_cells(summary.enrolments),
                *_attendance_cells(summary.attendance),
            ),
            "total",
        )
    )
    return Table(
        "programmes",
        t(PROGRAMMES),
        (Column(t(PROGRAMME), False, 3.0), *(Column(t(h), True) for h in heads)),
        tuple(rows),
    )


def groups(summary: Summary, t: Translate, *, language: str) -> Table:
    heads = (ENROLLED, JOINED, COMPLETED, DROPOUTS, TRANSFERS, SESSIONS_HELD, RATE)
    rows = [
        Row(
            (
                line.name,
                line.programme_name_fr if language == "fr" else line.programme_name_ar,
                *_enrolment_cells(line.enrolments),
                *_attendance_cells(line.attendance),
            )
        )
        for line in summary.by_group
    ]
    rows.append(
        Row(
            (
                t(TOTAL),
                "",
                *_enrolment_cells(summary.enrolments),
                *_attendance_cells(summary.attendance),
            ),
            "total",
        )
    )
    return Table(
        "groups",
        t(GROUPS),
        (
            Column(t(GROUP), False, 3.0),
            Column(t(PROGRAMME), False, 2.2),
            *(Column(t(h), True) for h in heads),
        ),
        tuple(rows),
    )


def reasons(summary: Summary, t: Translate) -> Table:
    rows = [
        Row((line.reason if line.reason is not None else t(NO_REASON), line.dropouts))
        for line in summary.dropout_reasons
    ]
    rows.append(Row((t(TOTAL), summary.enrolments.dropped), "total"))
    return Table(
        "dropout_reasons",
        t(REASONS),
        (Column(t(REASON), False, 3.0), Column(t(DROPOUTS), True)),
        tuple(rows),
    )


def follow_ups(summary: Summary, t: Translate) -> Table:
    rows = [
        Row(
            (
                t(NO_FOLLOW_UP_LABEL)
                if line.outcome == NO_FOLLOW_UP
                else _vocabulary(FollowUpOutcome, line.outcome, t),
                line.people,
            )
        )
        for line in summary.follow_up_outcomes
    ]
    rows.append(Row((t(TOTAL), sum(line.people for line in summary.follow_up_outcomes)), "total"))
    return Table(
        "follow_ups",
        t(FOLLOW_UPS_MONTH if summary.kind == MONTH else FOLLOW_UPS_SEASON),
        (Column(t(OUTCOME), False, 3.0), Column(t(PEOPLE_HEAD), True)),
        tuple(rows),
    )


def months(summary: Summary, t: Translate, *, language: str) -> Table:
    statuses = (
        AttendanceStatus.PRESENT,
        AttendanceStatus.LATE,
        AttendanceStatus.ABSENT,
        AttendanceStatus.EXCUSED,
    )
    heads = [t(SESSIONS_HELD), t(MARKS), *(t(LABELS[s]) for s in statuses), t(RATE)]
    rows = [
        Row(
            (
                format_date(line.month, style="MMMM y", language=language),
                line.attendance.sessions_held,
                line.attendance.marked,
                line.attendance.present,
                line.attendance.late,
                line.attendance.absent,
                line.attendance.excused,
                line.attendance.attendance_rate,
            )
        )
        for line in summary.attendance_by_month
    ]
    return Table(
        "attendance_by_month",
        t(MONTHS),
        (Column(t(MONTH_HEAD), False, 2.0), *(Column(h, True) for h in heads)),
        tuple(rows),
    )


def all_tables(summary: Summary, *, language: str) -> list[Table]:
    """Every table of the summary in ``language``, in the order the report prints them."""
    t = translations(language).gettext
    return [
        key_figures(summary, t),
        people(summary, t),
        programmes(summary, t, language=language),
        groups(summary, t, language=language),
        reasons(summary, t),
        follow_ups(summary, t),
        months(summary, t, language=language),
    ]


def cell_text(value: Cell, *, language: str) -> str:
    """A cell as printed: counts as written, rates with one decimal and a percent sign,
    a rate with no marks behind it as a dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        rate = format_decimal(value, format="0.0", locale=babel_locale(language))
        return f"{rate} %"
    return str(value)
