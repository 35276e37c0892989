"""The groups screen: the season's groups, who is in each, enrolling people, ending an
enrolment.

Read from top to bottom, like the paper register: the groups of the season; under them,
on one side the members of the chosen group, on the other the box to find people and
enrol them in it. Writes go through the services on the worker thread; the screen then
announces what changed, and every screen that shows it (this one too) reloads.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.i18n import _, format_number, isolated, ngettext
from app.services import groups as service
from app.services.centres import list_programmes
from app.services.errors import InputRejected
from app.services.groups import MemberRecord
from app.services.records import GroupRecord, ProgrammeRecord
from app.services.unit_of_work import UnitOfWork
from app.services.validation import parse_date
from app.ui.context import UiContext
from app.ui.screens.base import Screen
from app.ui.table_models.groups import (
    CandidateTableModel,
    GroupTableModel,
    MemberTableModel,
)
from app.ui.widgets.dialog_form import FormDialog, date_field
from app.ui.widgets.end_enrolment import EndEnrolmentDialog, EndInput
from app.ui.widgets.field_messages import FieldMessages, error_label
from app.ui.widgets.group_form import GroupDialog, GroupInput
from app.ui.widgets.people_search import PeopleSearch
from app.ui.widgets.record_table import (
    Refilling,
    lay_out_page,
    muted_label,
    panel,
    record_table,
    refill,
    tab_chain,
)
from app.vocabulary import EnrolmentStatus

NEW_GROUP_KEYS = "Ctrl+Shift+N"


class GroupsScreen(Screen):
    key = "groups"
    shows = frozenset({"group", "enrolment", "beneficiary"})

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self._groups: list[GroupRecord] = []
        self._programmes: list[ProgrammeRecord] = []
        self._group_id: uuid.UUID | None = None
        self._loaded = False
        self._members_serial = 0
        self._enrolled_now = 0
        self.group_dialog: GroupDialog | None = None
        self.end_dialog: EndEnrolmentDialog | None = None

        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.subheading = muted_label(wrap=False)
        self.new_button = QPushButton()
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_group)
        QShortcut(QKeySequence(NEW_GROUP_KEYS), self, activated=self.new_group)

        self.group_model = GroupTableModel()
        self.groups_table = record_table(self.group_model, name="groups", stretch=2)
        self.group_rows = Refilling(self.groups_table, self.group_model)
        self.groups_table.selectionModel().currentRowChanged.connect(self._group_chosen)
        self.no_groups = muted_label()

        # -- members of the chosen group
        self.members_panel, members, self.members_title = panel()
        self.members_count = muted_label(wrap=False)
        self.member_model = MemberTableModel()
        self.members_table = record_table(self.member_model, name="members")
        self.members_table.selectionModel().currentRowChanged.connect(self._update_buttons)
        # Enter or a double click on a member: the (cancellable) end-enrolment dialog.
        self.members_table.activated.connect(lambda _index: self.end_enrolment())
        self.end_button = QPushButton()
        self.end_button.clicked.connect(self.end_enrolment)
        end_row = QHBoxLayout()
        end_row.addWidget(self.members_count, 1)
        end_row.addWidget(self.end_button)
        members.addWidget(self.members_table, 1)
        members.addLayout(end_row)

        # -- finding people and enrolling them
        self.enrol_panel, enrol, self.enrol_title = panel()
        self.people = PeopleSearch(context, CandidateTableModel(), name="candidates", parent=self)
        self.people.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.people.confirmed.connect(self.enrol_chosen)
        self.people.answered.connect(self._fill_texts)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.people.search.setFocus)
        self.start_label = QLabel()
        self.start_date = date_field(context.today(), name="start_date")
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("primary")
        self.enrol_button.clicked.connect(self.enrol_chosen)
        self.enrol_error = error_label()
        self.enrol_messages = FieldMessages(self.enrol_error)
        self.enrolled = muted_label()
        date_row = QHBoxLayout()
        date_row.addWidget(self.start_label)
        date_row.addLayout(self.enrol_messages.wrap("date", self.start_date))
        date_row.addStretch(1)
        date_row.addWidget(self.enrol_button)
        enrol.addLayout(self.people.row)
        enrol.addWidget(self.people.found)
        enrol.addWidget(self.people.table, 1)
        enrol.addLayout(date_row)
        enrol.addWidget(self.enrol_error)
        enrol.addWidget(self.enrolled)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        top.addLayout(titles, 1)
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)
        lay_out_page(
            self,
            top=top,
            table=self.groups_table,
            empty=self.no_groups,
            panels=((self.members_panel, 11), (self.enrol_panel, 9)),
            share=5,
            margins=(24, 20, 24, 16),
        )
        tab_chain(
            self.new_button,
            self.groups_table,
            self.members_table,
            self.end_button,
            self.people.search,
            self.people.button,
            self.people.table,
            self.start_date,
            self.enrol_button,
        )
        self.retranslate_ui()

    # -- text ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.new_button.setText(_("New group"))
        self.new_button.setToolTip(
            _("Open a new group for this season ({keys})").format(keys=NEW_GROUP_KEYS)
        )
        self.no_groups.setText(
            _("No group has been opened this season yet. Open the first one with “New group”.")
        )
        self.start_label.setText(_("Enrolled from"))
        self.enrol_button.setText(_("Enrol"))
        self.enrol_button.setToolTip(_("Enrol the people chosen in the list (Enter)"))
        self.end_button.setText(_("End the enrolment…"))
        self.end_button.setToolTip(_("Completed, dropped out or transferred (Enter)"))
        for model in (self.group_model, self.member_model):
            model.retranslate()
        self.people.retranslate()
        for dialog in (self.group_dialog, self.end_dialog):
            if dialog is not None:
                dialog.retranslate_ui()
        self._fill_texts()

    def _fill_texts(self) -> None:
        """The texts that depend on what is loaded, in the current language."""
        if self._groups:
            season = self._groups[0].season_label
            groups = ngettext("{n} group", "{n} groups", len(self._groups)).format(
                n=format_number(len(self._groups))
            )
            self.subheading.setText(f"{_('Season {season}').format(season=season)} · {groups}")
        else:
            self.subheading.setText("")
        self.no_groups.setVisible(self._loaded and not self._groups)
        group = self.chosen_group()
        if group is None:
            self.members_title.setText(_("Members"))
            self.members_count.setText(_("Choose a group above to see its members."))
            self.enrol_title.setText(_("Enrol people"))
        else:
            name = isolated(group.name)
            self.members_title.setText(_("Members of {group}").format(group=name))
            self.enrol_title.setText(_("Enrol people in {group}").format(group=name))
            active = sum(
                1 for m in self.member_model.records() if m.status == EnrolmentStatus.ACTIVE
            )
            self.members_count.setText(
                ngettext(
                    "{n} person in the group now", "{n} people in the group now", active
                ).format(n=format_number(active))
            )
        self.people.fill_found(
            hint=_("Type a name and press Enter; then choose who to enrol."),
            found=lambda n: ngettext(
                "{n} person found: choose who to enrol (Ctrl or Shift for several).",
                "{n} people found: choose who to enrol (Ctrl or Shift for several).",
                n,
            ),
        )
        if self._enrolled_now:
            self.enrolled.setText(
                ngettext("{n} person enrolled.", "{n} people enrolled.", self._enrolled_now).format(
                    n=format_number(self._enrolled_now)
                )
            )
        self.enrolled.setVisible(bool(self._enrolled_now))
        self._update_buttons()

    # -- the groups ----------------------------------------------------------------------

    def refresh(self) -> None:
        def work(uow: UnitOfWork) -> tuple[list[GroupRecord], list[ProgrammeRecord]]:
            return service.list_groups(uow), list_programmes(uow)

        self.context.runner.with_uow(work, on_done=self._show_groups, read_only=True)

    def _show_groups(self, result: tuple[list[GroupRecord], list[ProgrammeRecord]]) -> None:
        self._groups, self._programmes = result
        self._loaded = True
        # The view must hear about the new selection (to paint it), this screen need not:
        # it loads the members once, below. Without a chosen group, the first one: its
        # members show at once.
        chosen = self.group_rows.refill(self._groups, keep=self._group_id, or_first=True)
        self._choose(chosen.id if chosen else None)

    def chosen_group(self) -> GroupRecord | None:
        row = self.group_model.row_of(self._group_id)
        return self.group_model.record_at(row)

    def _group_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.group_rows.filling:
            return
        record = self.group_model.record_at(current.row())
        self._choose(record.id if record else None)

    def _choose(self, group_id: uuid.UUID | None) -> None:
        if group_id != self._group_id:
            self._enrolled_now = 0
            self.enrol_messages.clear()
        self._group_id = group_id
        self.enrol_panel.setEnabled(group_id is not None)
        self._load_members()

    def _load_members(self) -> None:
        self._members_serial += 1
        serial, group_id = self._members_serial, self._group_id
        if group_id is None:
            self._show_members([])
            return

        def shown(members: list[MemberRecord]) -> None:
            if serial == self._members_serial:
                self._show_members(members)

        self.context.runner.with_uow(
            lambda uow: service.group_members(uow, group=str(group_id)),
            on_done=shown,
            read_only=True,
        )

    def _show_members(self, members: list[MemberRecord]) -> None:
        chosen = self._chosen_member()
        refill(
            self.members_table,
            self.member_model,
            records=members,
            keep=chosen.beneficiary_id if chosen else None,
        )
        self.people.set_listed(
            frozenset(m.beneficiary_id for m in members if m.status == EnrolmentStatus.ACTIVE)
        )
        self._fill_texts()

    # -- a new group ---------------------------------------------------------------------

    def new_group(self) -> None:
        if self.group_dialog is not None:
            self.group_dialog.raise_()
            return
        dialog = GroupDialog(self._programmes, self)
        dialog.submitted.connect(self._create_group)
        dialog.finished.connect(self._group_dialog_closed)
        self.group_dialog = dialog
        dialog.open()
        dialog.name.setFocus()

    def _create_group(self, values: GroupInput) -> None:
        def work(uow: UnitOfWork) -> GroupRecord:
            return service.add_group(
                uow,
                programme=values.programme,
                name=values.name,
                days=values.days,
                hours=service.hours_from(values.start, values.end),
                capacity=values.capacity,
            )

        self.context.runner.with_uow(
            work,
            on_done=self._group_created,
            on_error=lambda error: self._refused(error, self.group_dialog),
        )

    def _group_created(self, group: GroupRecord) -> None:
        self._group_id, self._enrolled_now = group.id, 0
        if self.group_dialog is not None:
            self.group_dialog.accept()
        self.context.announce("group")

    def _group_dialog_closed(self) -> None:
        if self.group_dialog is not None:
            self.group_dialog.deleteLater()
            self.group_dialog = None
        self.groups_table.setFocus()

    # -- enrolling -----------------------------------------------------------------------

    def enrol_chosen(self) -> None:
        people, group = self.people.chosen(), self.chosen_group()
        if not people or group is None:
            return
        refs = [str(person.id) for person in people]
        start, today = self.start_date.text(), self.context.today()
        self.enrol_messages.clear()
        self._enrolled_now = 0
        self.enrolled.hide()

        def work(uow: UnitOfWork) -> int:
            start_date = parse_date("date", start)
            done = service.enrol(
                uow, group=str(group.id), beneficiaries=refs, start_date=start_date, today=today
            )
            return len(done)

        self.context.runner.with_uow(
            work, on_done=self._enrolled, on_error=lambda error: self._refused(error, None)
        )

    def _enrolled(self, count: int) -> None:
        self._enrolled_now = count
        self.people.table.clearSelection()
        self.context.announce("enrolment")

    # -- ending an enrolment -------------------------------------------------------------

    def _chosen_member(self) -> MemberRecord | None:
        return self.member_model.record_at(self.members_table.currentIndex().row())

    def end_enrolment(self) -> None:
        member, group = self._chosen_member(), self.chosen_group()
        if member is None or group is None or member.status != EnrolmentStatus.ACTIVE:
            return
        dialog = EndEnrolmentDialog(
            person=member.full_name_ar, group=group.name, today=self.context.today(), parent=self
        )
        dialog.submitted.connect(lambda values: self._end(group, member, values))
        dialog.finished.connect(self._end_dialog_closed)
        self.end_dialog = dialog
        dialog.open()

    def _end(self, group: GroupRecord, member: MemberRecord, values: EndInput) -> None:
        def work(uow: UnitOfWork) -> None:
            end_date = parse_date("date", values.end_date)
            assert end_date is not None
            service.end_enrolment(
                uow,
                group=str(group.id),
                beneficiary=str(member.beneficiary_id),
                outcome=values.outcome,
                end_date=end_date,
                reason=values.reason,
                mention=values.mention,
            )

        self.context.runner.with_uow(
            work,
            on_done=lambda _result: self._ended(),
            on_error=lambda error: self._refused(error, self.end_dialog),
        )

    def _ended(self) -> None:
        if self.end_dialog is not None:
            self.end_dialog.accept()
        self.context.announce("enrolment")

    def _end_dialog_closed(self) -> None:
        if self.end_dialog is not None:
            self.end_dialog.deleteLater()
            self.end_dialog = None
        self.members_table.setFocus()

    # -- shared --------------------------------------------------------------------------

    def _refused(self, error: BaseException, dialog: FormDialog | None) -> None:
        if not isinstance(error, InputRejected):
            self.report_failure(error)
            if dialog is not None:
                dialog.reject()
        elif dialog is not None:
            dialog.show_errors(error)
        else:
            self.enrol_messages.show(error)

    def _update_buttons(self) -> None:
        member = self._chosen_member()
        self.end_button.setEnabled(member is not None and member.status == EnrolmentStatus.ACTIVE)
        self.enrol_button.setEnabled(self._group_id is not None and bool(self.people.chosen()))
