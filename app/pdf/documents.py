"""The documents the register prints, as a list: the Documents screen is built from it.

Each kind of document says what a person reads about it, the scope it is printed for
(a group, a month), its yes/no options, and how its PDF is made from a unit of work. A
new document (a certificate, the monthly summary) is one more ``DocumentKind`` in
``DOCUMENTS``; the screen lists it and asks for its scope and options by themselves.

The PDF modules (and ReportLab under them) are imported when a document is made, not
when the list is read: the window loads its screens without paying for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.config import today
from app.i18n import N_, _, translations
from app.services.attendance_sheet import month_sheet
from app.services.errors import FieldError, InputRejected
from app.services.groups import list_groups
from app.services.summaries import summarise
from app.services.unit_of_work import UnitOfWork

#: Called as work goes: (steps done, steps in all). It may raise to stop the work
#: (``services.progress.Progress.step`` raises ``Cancelled``).
Step = Callable[[int, int], None]
# Characters a file name cannot hold on Windows (or anywhere, for the slash).
NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


class Scope(StrEnum):
    """What a document is printed for, each asked for by its own field."""

    GROUP = "group"
    MONTH = "month"


@dataclass(frozen=True)
class Option:
    """A yes/no choice a document offers; ``label`` is an untranslated message."""

    key: str
    label: str


@dataclass(frozen=True)
class DocumentRequest:
    """One document to make: its language, the values of its scope, the options ticked."""

    language: str
    group: str | None = None  # a group's record number or name
    month: str | None = None  # YYYY-MM
    options: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DocumentKind:
    """A document the register prints; ``label`` and ``description`` are untranslated
    messages, ``make`` returns the PDF's bytes and reports its steps to ``step``."""

    key: str
    label: str
    description: str
    scope: tuple[Scope, ...]
    make: Callable[[UnitOfWork, DocumentRequest, Step], bytes]
    options: tuple[Option, ...] = ()

    def title(self, *covers: str) -> str:
        """Its name with what it covers, for a window or a print queue:
        "Monthly attendance sheet — Sewing 1 — November 2026"."""
        return " — ".join((_(self.label), *covers))

    def file_name(self, *covers: str, language: str) -> str:
        """A file name for it in ``language``: "Monthly attendance sheet - Sewing 1 -
        2026-11.pdf", with nothing a file system refuses."""
        words = (translations(language).gettext(self.label), *covers)
        return NOT_IN_FILE_NAMES.sub("-", " - ".join(words)) + ".pdf"


BLANK = Option("blank", N_("Blank, to be filled in by hand"))


def _needed(value: str | None, scope: Scope) -> str:
    if not value:
        message = _("Choose a group.") if scope is Scope.GROUP else _("Choose a month.")
        raise InputRejected(FieldError(scope.value, message))
    return value


def attendance_sheets(
    uow: UnitOfWork,
    *,
    groups: Sequence[str] | None,
    month: str,
    language: str,
    blank: bool,
    step: Step,
) -> bytes:
    """The monthly sheets of ``groups`` (every group of the season when None) in one PDF,
    the same bytes ``sijill pdf attendance-sheet`` writes. One step per group read, and
    a last one when the PDF is made."""
    from app.pdf import attendance_sheet
    from app.pdf.letterhead import letterhead

    names = [str(g.id) for g in list_groups(uow)] if groups is None else list(groups)
    if not names:
        raise InputRejected(FieldError("group", _("This season has no group yet.")))
    total = len(names) + 1
    step(0, total)
    sheets = []
    for done, name in enumerate(names, start=1):
        sheets.append(month_sheet(uow, group=name, month=month))
        step(done, total)
    data = attendance_sheet.render(
        sheets, letterhead=letterhead(uow), language=language, blank=blank
    )
    step(total, total)
    return data


def _group_sheet(uow: UnitOfWork, request: DocumentRequest, step: Step) -> bytes:
    return attendance_sheets(
        uow,
        groups=[_needed(request.group, Scope.GROUP)],
        month=_needed(request.month, Scope.MONTH),
        language=request.language,
        blank=BLANK.key in request.options,
        step=step,
    )


def _every_group_sheet(uow: UnitOfWork, request: DocumentRequest, step: Step) -> bytes:
    return attendance_sheets(
        uow,
        groups=None,
        month=_needed(request.month, Scope.MONTH),
        language=request.language,
        blank=BLANK.key in request.options,
        step=step,
    )


ATTENDANCE_SHEET = DocumentKind(
    key="attendance-sheet",
    label=N_("Monthly attendance sheet"),
    description=N_(
        "The sheet of one group for a month: blank, for the educator to fill in during "
        "the month, or with the marks typed in, to be signed and filed."
    ),
    scope=(Scope.GROUP, Scope.MONTH),
    options=(BLANK,),
    make=_group_sheet,
)
EVERY_ATTENDANCE_SHEET = DocumentKind(
    key="attendance-sheets",
    label=N_("Attendance sheets of every group"),
    description=N_("The monthly sheets of all the season's groups, one after another in one PDF."),
    scope=(Scope.MONTH,),
    options=(BLANK,),
    make=_every_group_sheet,
)


def _monthly_report(uow: UnitOfWork, request: DocumentRequest, step: Step) -> bytes:
    """The month's activity report, the same bytes ``sijill pdf summary --month`` writes."""
    from app.pdf import summary
    from app.pdf.letterhead import letterhead

    step(0, 2)
    numbers = summarise(uow, month=_needed(request.month, Scope.MONTH), today=today())
    step(1, 2)
    data = summary.render(numbers, letterhead=letterhead(uow), language=request.language)
    step(2, 2)
    return data


MONTHLY_REPORT = DocumentKind(
    key="monthly-report",
    label=N_("Monthly activity report"),
    description=N_(
        "The centre's numbers for a month: people enrolled, new, completed and dropped "
        "out, sessions held, attendance, follow-ups; for the delegation."
    ),
    scope=(Scope.MONTH,),
    make=_monthly_report,
)

DOCUMENTS: tuple[DocumentKind, ...] = (ATTENDANCE_SHEET, EVERY_ATTENDANCE_SHEET, MONTHLY_REPORT)
