"""The certificates of the Documents screen: choose the kind, a group (everyone in it, or
one person) or an event, and the language; issue them, then look at them, print them or
save them.

Issuing writes. Each new certificate takes a serial and a QR code signed with the
centre's key, recorded in one unit of work together with the PDF made from them: a job
stopped or refused records nothing, and a save records only once the file is written. A
certificate issued before comes out again as the same certificate marked "duplicate" (the
service decides). The keys are opened inside the job; on a computer with no keyring, the
passphrase is asked first (``widgets.key_passphrase``). Who a batch leaves out (under the
attendance rule) is named with the reason, and a refusal is said in plain words under
the actions, never as an error box.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
)

from app.i18n import (
    N_,
    _,
    current_language,
    format_date,
    format_number,
    ltr,
    ngettext,
    translations,
)
from app.pdf import save_atomically
from app.pdf.documents import NOT_IN_FILE_NAMES
from app.services import certificates, keys
from app.services.certificate_choices import CertificateGroup, certificate_groups
from app.services.certificates import IssuedCertificates, Skipped
from app.services.errors import InputRejected
from app.services.events import EventRecord, list_events
from app.services.groups import MemberRecord, group_members
from app.services.keys import PassphraseNeeded
from app.services.progress import Cancelled, Progress
from app.services.register import Register
from app.services.unit_of_work import UnitOfWork
from app.ui.context import UiContext
from app.ui.widgets.document_actions import DocumentActions, choices_form, language_box
from app.ui.widgets.field_messages import error_label
from app.ui.widgets.key_passphrase import KeyPassphrase, KeyState, key_state
from app.ui.widgets.pdf_preview import cannot_write
from app.ui.widgets.record_table import muted_label, tab_chain
from app.vocabulary import CertificateKind, EnrolmentStatus

#: The name of a batch of each kind, for a window title and a file name.
BATCH_TITLES = {
    CertificateKind.COMPLETION.value: N_("End of training certificates"),
    CertificateKind.ATTENDANCE.value: N_("Attendance certificates"),
    CertificateKind.PARTICIPATION.value: N_("Participation certificates"),
}
DESCRIPTIONS = {
    CertificateKind.COMPLETION.value: N_(
        "For those who completed a group's training and meet the issue rules set in the "
        "settings: programme, season, hours followed and mention."
    ),
    CertificateKind.ATTENDANCE.value: N_(
        "Proof of enrolment and attendance for people still in a group, or for one "
        "person whatever became of her enrolment: hours followed so far."
    ),
    CertificateKind.PARTICIPATION.value: N_(
        "For everyone on the list of an event that has taken place: participants, "
        "speakers and organisers, guests included."
    ),
}
EVENT_KIND = CertificateKind.PARTICIPATION.value
# How many letters a box shows before a long name is cut.
BOX_LETTERS = 34
# The most the outcome of a batch takes on the card: about a dozen lines.
STATUS_HEIGHT = 230


@dataclass(frozen=True)
class CertificateChoices:
    """What the panel offers, read in one unit of work."""

    groups: list[CertificateGroup]
    #: Events that have taken place, the newest first.
    events: list[EventRecord]
    keys: KeyState


@dataclass(frozen=True)
class CertificateRequest:
    """The certificates to issue: a group's batch, one enrolment's, or an event's."""

    kind: str
    language: str
    bilingual: bool
    group: str | None = None
    enrolment: str | None = None
    event: str | None = None


@dataclass(frozen=True)
class IssuedPdf:
    """Certificates issued and the PDF that holds them, a page each."""

    data: bytes
    pages: int
    new: int
    duplicates: int
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True)
class Refused:
    """A job that stopped on something to tell the person; nothing was recorded."""

    error: BaseException


def load_choices(uow: UnitOfWork, *, today: dt.date) -> CertificateChoices:
    return CertificateChoices(
        groups=certificate_groups(uow),
        events=[e for e in list_events(uow) if e.date <= today],
        keys=key_state(uow),
    )


def _issue(
    uow: UnitOfWork, request: CertificateRequest, *, passphrase: str | None, today: dt.date
) -> IssuedCertificates:
    signer = keys.unlock(uow, passphrase=passphrase)
    if request.event is not None:
        return certificates.issue_for_event(uow, signer, event=request.event, today=today)
    if request.enrolment is not None:
        return certificates.issue_for_enrolment(
            uow, signer, enrolment=request.enrolment, kind=request.kind, today=today
        )
    assert request.group is not None
    return certificates.issue_for_group(
        uow, signer, group=request.group, kind=request.kind, today=today
    )


def issue_pdf(
    register: Register,
    request: CertificateRequest,
    *,
    passphrase: str | None,
    today: dt.date,
    path: Path | None,
    progress: Progress,
) -> IssuedPdf | Refused:
    """Worker thread: issue the certificates and make their PDF (written to ``path`` when
    given), all in one unit of work; what stops it comes back as ``Refused``."""
    from app.pdf import certificate
    from app.pdf.letterhead import letterhead
    from app.services.document_settings import document_template

    try:
        with register.unit_of_work() as uow:
            progress.step(0, 3)
            issued = _issue(uow, request, passphrase=passphrase, today=today)
            progress.step(1, 3)
            data = certificate.render(
                issued.documents,
                letterhead=letterhead(uow),
                template=document_template(uow),
                language=request.language,
                bilingual=request.bilingual,
            )
            progress.step(2, 3)
            # The last moment a stop leaves nothing behind: neither a file nor a serial.
            if progress.cancelled:
                raise Cancelled
            if path is not None:
                save_atomically(path, data)
    except (InputRejected, Cancelled, OSError) as error:
        return Refused(error)
    duplicates = sum(1 for d in issued.documents if d.duplicate)
    return IssuedPdf(data, len(issued.documents), issued.new, duplicates, issued.skipped)


def _group_text(group: CertificateGroup) -> str:
    return f"{group.name} — {ltr(group.season_label)}"


def _member_text(member: MemberRecord, *, completion: bool) -> str:
    """A person in the list; for an attendance certificate, what became of her enrolment
    when she is no longer in the group."""
    if completion or member.status == EnrolmentStatus.ACTIVE.value:
        return member.full_name_ar
    return f"{member.full_name_ar} ({EnrolmentStatus(member.status).label})"


def _event_text(event: EventRecord) -> str:
    title = event.title_fr if current_language() == "fr" and event.title_fr else event.title_ar
    return f"{title} — {format_date(event.date)}"


class _Outcome(QScrollArea):
    """The outcome of a job: as tall as its lines, up to ``STATUS_HEIGHT``, then it
    scrolls."""

    def __init__(self, label: QLabel) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet("QScrollArea { background: transparent; }")
        self.viewport().setAutoFillBackground(False)
        self.setWidget(label)
        # setWidget paints the label's background; the card's white shows through instead.
        label.setAutoFillBackground(False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        label = self.widget()
        width = max(self.viewport().width(), 200)
        lines = label.heightForWidth(width) if label.text() else 0
        return QSize(label.sizeHint().width(), min(max(lines, 0), STATUS_HEIGHT))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()


class CertificatePanel(QFrame):
    """The certificates card of the Documents screen (a white card like the others)."""

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.setObjectName("card")
        self._runner, self._today = context.runner, context.today
        self._choices: CertificateChoices | None = None
        self._members: list[MemberRecord] = []
        #: The group whose members the person box holds (None: not read yet).
        self._members_of: str | None = None
        self.passphrase = KeyPassphrase(self, context)

        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.description = muted_label()
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("certificateKind")
        for kind in CertificateKind:
            self.kind_box.addItem("", kind.value)
        self.group_box = QComboBox()
        self.group_box.setObjectName("certificateGroup")
        self.person_box = QComboBox()
        self.person_box.setObjectName("certificatePerson")
        self.event_box = QComboBox()
        self.event_box.setObjectName("certificateEvent")
        self.language_box = language_box("certificateLanguage")
        self.bilingual = QCheckBox()
        self.bilingual.setObjectName("bilingual")
        self.boxes = (
            self.kind_box,
            self.group_box,
            self.person_box,
            self.event_box,
            self.language_box,
        )
        for box in self.boxes:
            box.setMinimumWidth(300)
            # As wide as the documents' boxes: a long event title is cut, not the card.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(BOX_LETTERS)
        self.labels = {box: QLabel() for box in self.boxes}
        self.form = choices_form()
        for box in self.boxes:
            self.form.addRow(self.labels[box], box)
        self.form.addRow("", self.bilingual)
        self.nothing = muted_label()

        self.actions = DocumentActions(
            context.runner,
            self,
            preview=self.show_preview,
            print_=self.print_certificates,
            save=self.save_as,
        )
        self.status = muted_label()
        self.status.setObjectName("certificateStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A batch may leave out many people, a line each: their list scrolls, the card
        # and its buttons stay in the window.
        self.status_area = _Outcome(self.status)
        self.error = error_label()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addSpacing(6)
        layout.addLayout(self.form)
        layout.addWidget(self.nothing)
        layout.addSpacing(6)
        layout.addLayout(self.actions.row)
        layout.addWidget(self.status_area)
        layout.addWidget(self.error)
        tab_chain(*self.boxes, self.bilingual, *self.actions.buttons)

        self.kind_box.currentIndexChanged.connect(lambda _i: self._kind_chosen())
        self.group_box.currentIndexChanged.connect(lambda _i: self._group_chosen())
        # A long title is cut in the box: the whole of it on hovering.
        self.event_box.currentTextChanged.connect(self.event_box.setToolTip)
        self.retranslate_ui()

    # -- text ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.title.setText(_("Certificates"))
        for index in range(self.kind_box.count()):
            self.kind_box.setItemText(index, CertificateKind(self.kind_box.itemData(index)).label)
        self.labels[self.kind_box].setText(_("Kind of certificate"))
        self.labels[self.group_box].setText(_("Group"))
        self.labels[self.person_box].setText(_("For"))
        self.labels[self.event_box].setText(_("Event"))
        self.labels[self.language_box].setText(_("Language of the document"))
        self.bilingual.setText(_("Bilingual: Arabic and French side by side"))
        self.actions.retranslate_ui(
            preview=_("Issue and preview"),
            print_=_("Issue and print…"),
            save=_("Issue and save as PDF…"),
        )
        if self._choices is not None:
            for index, event in enumerate(self._choices.events):
                self.event_box.setItemText(index, _event_text(event))
        self._kind_chosen()

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        today = self._today()
        self._runner.with_uow(
            lambda uow: load_choices(uow, today=today), on_done=self._show, read_only=True
        )

    def _show(self, choices: CertificateChoices) -> None:
        self._choices = choices
        chosen = self.group_box.currentData()
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for group in choices.groups:
            self.group_box.addItem(_group_text(group), str(group.id))
        found = self.group_box.findData(chosen)
        if found < 0:
            found = self._first_with_people(choices.groups)
        self.group_box.setCurrentIndex(found if choices.groups else -1)
        self.group_box.blockSignals(False)
        chosen = self.event_box.currentData()
        self.event_box.clear()
        for event in choices.events:
            self.event_box.addItem(_event_text(event), str(event.id))
        found = self.event_box.findData(chosen)
        self.event_box.setCurrentIndex(max(found, 0) if choices.events else -1)
        # Members may have completed or left since: read them again.
        self._members_of = None
        self._group_chosen()

    def _first_with_people(self, groups: list[CertificateGroup]) -> int:
        """The first group a batch of the chosen kind would give something to: on a new
        season's first days, last season's graduates are who asks."""
        completion = self.kind() == CertificateKind.COMPLETION.value
        return next(
            (i for i, g in enumerate(groups) if (g.completed if completion else g.active)), 0
        )

    def _group_chosen(self) -> None:
        group = self.group_box.currentData()
        if group != self._members_of:
            # Until the group's own arrive, nobody of another group may stay offered.
            self._members, self._members_of = [], None
        self._kind_chosen()
        if group is None or group == self._members_of:
            return

        def read(uow: UnitOfWork) -> list[MemberRecord]:
            return group_members(uow, group=group)

        self._runner.with_uow(
            read, on_done=lambda members: self._show_members(group, members), read_only=True
        )

    def _show_members(self, group: str, members: list[MemberRecord]) -> None:
        if group != self.group_box.currentData():
            return  # another group was chosen meanwhile; its members are on their way
        self._members, self._members_of = members, group
        self._kind_chosen()

    # -- the choice ----------------------------------------------------------------------

    def kind(self) -> str:
        return self.kind_box.currentData()

    def _group(self) -> CertificateGroup | None:
        index = self.group_box.currentIndex()
        if self._choices is None or index < 0:
            return None
        return self._choices.groups[index]

    def _fill_people(self) -> None:
        """Everyone the batch takes, then each person who may have one on her own."""
        chosen = self.person_box.currentData()
        self.person_box.clear()
        group = self._group()
        if group is None:
            return
        completion = self.kind() == CertificateKind.COMPLETION.value
        if completion:
            everyone = ngettext(
                "Everyone who completed the training ({n} person)",
                "Everyone who completed the training ({n} people)",
                group.completed,
            ).format(n=format_number(group.completed))
        else:
            everyone = ngettext(
                "Everyone still enrolled ({n} person)",
                "Everyone still enrolled ({n} people)",
                group.active,
            ).format(n=format_number(group.active))
        self.person_box.addItem(everyone, None)
        for member in self._members:
            if completion and member.status != EnrolmentStatus.COMPLETED.value:
                continue
            self.person_box.addItem(
                _member_text(member, completion=completion), str(member.enrolment_id)
            )
        found = self.person_box.findData(chosen)
        self.person_box.setCurrentIndex(max(found, 0))

    def _kind_chosen(self) -> None:
        kind = self.kind()
        for_event = kind == EVENT_KIND
        self.description.setText(_(DESCRIPTIONS[kind]))
        for box in (self.group_box, self.person_box):
            self.form.setRowVisible(box, not for_event)
        self.form.setRowVisible(self.event_box, for_event)
        # The people offered depend on the kind: those who completed, or everyone.
        self._fill_people()
        loaded = self._choices is not None
        missing = ""
        if loaded and for_event and not self.event_box.count():
            missing = _("No event has taken place yet.")
        elif loaded and not for_event and not self.group_box.count():
            missing = _("No group has been opened yet.")
        self.nothing.setText(missing)
        self.nothing.setVisible(bool(missing))
        self.actions.set_enabled(loaded and not missing)
        self.error.hide()

    def request(self) -> CertificateRequest:
        kind, language = self.kind(), self.language_box.currentData()
        bilingual = self.bilingual.isChecked()
        if kind == EVENT_KIND:
            return CertificateRequest(kind, language, bilingual, event=self.event_box.currentData())
        enrolment = self.person_box.currentData()
        if enrolment is not None:
            return CertificateRequest(kind, language, bilingual, enrolment=enrolment)
        return CertificateRequest(kind, language, bilingual, group=self.group_box.currentData())

    def _covers(self) -> list[str]:
        """What the certificates are for, in words: the group and season, or the person,
        or the event."""
        if self.kind() == EVENT_KIND:
            return [self.event_box.currentText()]
        group = self._group()
        covers = [group.name, group.season_label] if group is not None else []
        if self.person_box.currentData() is not None:
            member = next(
                m for m in self._members if str(m.enrolment_id) == self.person_box.currentData()
            )
            covers.append(member.full_name_ar)
        return covers

    def document_title(self) -> str:
        return " — ".join((_(BATCH_TITLES[self.kind()]), *self._covers()))

    def file_name(self) -> str:
        """A file name in the document's language, with nothing a file system refuses."""
        words = (
            translations(self.language_box.currentData()).gettext(BATCH_TITLES[self.kind()]),
            *self._covers(),
        )
        return NOT_IN_FILE_NAMES.sub("-", " - ".join(words)) + ".pdf"

    # -- the actions ---------------------------------------------------------------------

    def ready(self) -> bool:
        return self.actions.enabled

    def show_preview(self) -> None:
        if self.ready():
            self._issue(self._open_preview)

    def print_certificates(self) -> None:
        if self.ready():
            self._issue(self._print)

    def save_as(self) -> None:
        """Ask where, then issue the certificates and write them there."""
        if self.ready():
            self.actions.ask_where(file_name=self.file_name(), then=self.save_to)

    def save_to(self, path: Path) -> None:
        self._issue(lambda made: self._saved(path, made), path=path)

    def _issue(self, then: Callable[[IssuedPdf], None], *, path: Path | None = None) -> None:
        """Issue the chosen certificates on the worker thread (the passphrase asked first
        when the keys need one), then hand their PDF to ``then``."""
        assert self._choices is not None
        request = self.request()
        title = self.document_title()
        self._tell("")
        self.error.hide()

        def start(passphrase: str | None) -> None:
            register = self._runner.register
            assert register is not None
            today = self._today()

            def work(progress: Progress) -> IssuedPdf | Refused:
                return issue_pdf(
                    register,
                    request,
                    passphrase=passphrase,
                    today=today,
                    path=path,
                    progress=progress,
                )

            self._runner.run_job(
                work,
                title=_("Issuing {document}…").format(document=title),
                parent=self,
                on_done=lambda result: self._finished(result, then=then, retry=start, path=path),
            )

        self.passphrase.with_keys(self._choices.keys, start)

    def _finished(
        self,
        result: IssuedPdf | Refused,
        *,
        then: Callable[[IssuedPdf], None],
        retry: Callable[[str | None], None],
        path: Path | None,
    ) -> None:
        if isinstance(result, IssuedPdf):
            self._tell(_issued_text(result))
            # The keys may have been made by this job: read how they are kept now.
            self.refresh()
            then(result)
            return
        error = result.error
        if isinstance(error, PassphraseNeeded):
            assert self._choices is not None
            reason = self.passphrase.refused(error, self._choices.keys, retry)
            if reason is not None:
                self._say_error(reason)
        elif isinstance(error, InputRejected):
            self._say_error("\n".join(e.message for e in error.errors))
        elif isinstance(error, Cancelled):
            self._tell(_("Stopped: no certificate was issued."))
        elif isinstance(error, OSError):
            assert path is not None
            self._say_error(cannot_write(path, error))

    def _tell(self, message: str) -> None:
        """What the last job did, under the actions."""
        self.status.setText(message)
        self.status_area.updateGeometry()

    def _say_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _open_preview(self, made: IssuedPdf) -> None:
        self.actions.show_preview(
            made.data, title=self.document_title(), file_name=self.file_name()
        )

    def _print(self, made: IssuedPdf) -> None:
        self.actions.print_(
            made.data, pages=made.pages, title=self.document_title(), file_name=self.file_name()
        )

    def _saved(self, path: Path, made: IssuedPdf) -> None:
        self._tell(_issued_text(made) + "\n" + _("Saved in {file}.").format(file=path))


def _issued_text(made: IssuedPdf) -> str:
    """What the job did, in words: certificates new and printed again, people left out
    with the reason."""
    lines = []
    if made.new:
        lines.append(
            ngettext("{n} certificate issued.", "{n} certificates issued.", made.new).format(
                n=format_number(made.new)
            )
        )
    if made.duplicates:
        lines.append(
            ngettext(
                "{n} certificate printed again, marked duplicate.",
                "{n} certificates printed again, marked duplicate.",
                made.duplicates,
            ).format(n=format_number(made.duplicates))
        )
    if made.skipped:
        lines.append(
            ngettext("{n} person left out:", "{n} people left out:", len(made.skipped)).format(
                n=format_number(len(made.skipped))
            )
        )
        lines.extend(f"• {skipped.reason}" for skipped in made.skipped)
    return "\n".join(lines)
