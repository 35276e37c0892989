"""The events screen: the centre's seminars and awareness days with who came, and the
follow-up of its graduates.

Two tabs. "Events": the list of events, newest first; under it, the chosen event's
speakers and participants (guests, speakers above all, are added by name in a small
dialog), and the box that finds beneficiaries by name, ID card number or phone to add
them. "Follow-up after training": everyone who completed a training with the latest news
of her, those with no news for six months tinted (and one tick away from being the only
ones listed); under it, the box to record what became of the chosen graduate and what
was heard of her before.

Reads and writes run on the worker thread through the services; after a write the screen
announces what changed and reloads from the register.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_date, format_number, isolated, ltr, ngettext
from app.services import events as service
from app.services import followups
from app.services.errors import InputRejected
from app.services.events import EventInput, EventRecord, ParticipantRecord
from app.services.followups import FollowUpRecord, GraduateRecord
from app.services.unit_of_work import UnitOfWork
from app.ui.context import UiContext
from app.ui.screens.base import Screen
from app.ui.table_models.events import (
    EventTableModel,
    FollowUpTableModel,
    FoundTableModel,
    GraduateTableModel,
    ParticipantTableModel,
    event_title,
    people_summary,
    programme_name,
)
from app.ui.widgets.dialog_form import FieldForm, FormDialog, date_field, short_field
from app.ui.widgets.event_form import EventDialog
from app.ui.widgets.field_messages import FieldMessages, error_label
from app.ui.widgets.guest_form import GuestDialog, GuestInput
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
from app.vocabulary import EventKind, FollowUpOutcome

EVENTS_TAB, FOLLOW_UP_TAB = 0, 1
# Inside a tab: the tab's frame already keeps the page off the window's edges.
PAGE_MARGINS = (0, 12, 0, 0)


class EventsScreen(Screen):
    key = "events"
    shows = frozenset({"event", "follow_up", "beneficiary", "enrolment"})

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self._events: list[EventRecord] = []
        self._graduates: list[GraduateRecord] = []
        self._event_id: uuid.UUID | None = None
        self._graduate_id: uuid.UUID | None = None
        self._loaded = False
        self._serial = 0
        self._added_now = 0
        # Whose news was just recorded: said until another graduate is chosen, even when
        # the "no news" list has let her go.
        self._recorded_name = ""
        self.event_dialog: EventDialog | None = None
        self.guest_dialog: GuestDialog | None = None

        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("eventTabs")
        self.tabs.addTab(self._build_events_page(), "")
        self.tabs.addTab(self._build_follow_up_page(), "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        self.retranslate_ui()

    # -- building ------------------------------------------------------------------------

    def _build_events_page(self) -> QWidget:
        self.events_count = muted_label(wrap=False)
        self.new_button = QPushButton()
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_event)
        self.event_model = EventTableModel()
        self.events_table = record_table(self.event_model, name="events", stretch=2)
        self.event_rows = Refilling(self.events_table, self.event_model)
        self.events_table.selectionModel().currentRowChanged.connect(self._event_chosen)
        # Enter or a double click on an event: correct it.
        self.events_table.activated.connect(lambda _index: self.correct_event())
        self.no_events = muted_label()

        # -- the chosen event and who was there
        self.event_panel, event_box, self.event_heading = panel()
        self.event_facts = muted_label()
        self.participant_model = ParticipantTableModel()
        self.participants_table = record_table(self.participant_model, name="participants")
        self.participants_table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.participants_count = muted_label()
        self.take_off_button = QPushButton()
        self.take_off_button.clicked.connect(self.take_off)
        self.guest_button = QPushButton()
        self.guest_button.clicked.connect(self.new_guest)
        self.correct_button = QPushButton()
        self.correct_button.clicked.connect(self.correct_event)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_event)
        event_buttons = QHBoxLayout()
        event_buttons.addWidget(self.participants_count, 1)
        event_buttons.addWidget(self.guest_button)
        event_buttons.addWidget(self.take_off_button)
        facts_row = QHBoxLayout()
        facts_row.addWidget(self.event_facts, 1)
        facts_row.addWidget(self.correct_button)
        facts_row.addWidget(self.remove_button)
        event_box.addLayout(facts_row)
        event_box.addWidget(self.participants_table, 1)
        event_box.addLayout(event_buttons)

        # -- adding beneficiaries found by a search
        self.add_panel, add_box, self.add_heading = panel()
        self.people = PeopleSearch(self.context, FoundTableModel(), name="found", parent=self)
        self.people.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.people.confirmed.connect(self.add_chosen)
        self.people.answered.connect(self._fill_texts)
        self.add_button = QPushButton()
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_chosen)
        self.added = muted_label()
        self.add_error = error_label()
        self.add_messages = FieldMessages(self.add_error)
        add_row = QHBoxLayout()
        add_row.addWidget(self.added, 1)
        add_row.addWidget(self.add_button)

        add_box.addLayout(self.people.row)
        add_box.addWidget(self.people.found)
        add_box.addWidget(self.people.table, 1)
        add_box.addWidget(self.add_error)
        add_box.addLayout(add_row)

        top = QHBoxLayout()
        top.addWidget(self.events_count, 1)
        top.addWidget(self.new_button)
        page = QWidget()
        page.setObjectName("eventsPage")
        lay_out_page(
            page,
            top=top,
            table=self.events_table,
            empty=self.no_events,
            panels=((self.event_panel, 1), (self.add_panel, 1)),
            share=4,
            margins=PAGE_MARGINS,
        )
        tab_chain(
            self.new_button,
            self.events_table,
            self.correct_button,
            self.remove_button,
            self.participants_table,
            self.guest_button,
            self.take_off_button,
            self.people.search,
            self.people.button,
            self.people.table,
            self.add_button,
        )
        return page

    def _build_follow_up_page(self) -> QWidget:
        self.no_news_only = QCheckBox()
        self.no_news_only.setObjectName("noNewsOnly")
        self.no_news_only.toggled.connect(self._filter_changed)
        self.no_news_count = QLabel()
        self.no_news_count.setObjectName("alert")
        self.graduates_count = muted_label(wrap=False)
        self.graduate_model = GraduateTableModel()
        self.graduates_table = record_table(self.graduate_model, name="graduates")
        self.graduate_rows = Refilling(self.graduates_table, self.graduate_model)
        self.graduates_table.selectionModel().currentRowChanged.connect(self._graduate_chosen)
        self.no_graduates = muted_label()

        # -- recording news of the chosen graduate
        self.follow_panel, follow_box, self.follow_heading = panel()
        self.follow_training = muted_label()
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        self.outcome.addItem("", None)  # nothing chosen in advance: every outcome counts
        for outcome in FollowUpOutcome:
            self.outcome.addItem("", outcome.value)
        self.follow_date = date_field(self.context.today(), name="follow_date")
        self.organisation = QLineEdit()
        self.organisation.setObjectName("organisation")
        self.details = QLineEdit()
        self.details.setObjectName("details")
        self.follow_error = error_label()
        self.follow_messages = FieldMessages(self.follow_error)
        self.follow_form = FieldForm(
            self.follow_messages, vertical_spacing=8, horizontal_spacing=14
        )
        self.follow_form.add_field("outcome", self.outcome)
        self.follow_form.add_field("date", short_field(self.follow_date), focus=self.follow_date)
        self.follow_form.add_field("organisation", self.organisation)
        self.follow_form.add_field("details", self.details)
        self.record_button = QPushButton()
        self.record_button.setObjectName("primary")
        self.record_button.clicked.connect(self.record_news)
        self.recorded = muted_label()
        record_row = QHBoxLayout()
        record_row.addWidget(self.recorded, 1)
        record_row.addWidget(self.record_button)
        follow_box.addWidget(self.follow_training)
        follow_box.addWidget(self.follow_error)
        follow_box.addLayout(self.follow_form)
        follow_box.addStretch(1)
        follow_box.addLayout(record_row)

        # -- what was heard of her before
        self.history_panel, history_box, self.history_heading = panel()
        self.history_model = FollowUpTableModel()
        self.history_table = record_table(self.history_model, name="history", stretch=3)
        self.history_empty = muted_label()
        history_box.addWidget(self.history_table, 1)
        history_box.addWidget(self.history_empty)

        top = QHBoxLayout()
        top.addWidget(self.no_news_only)
        top.addWidget(self.no_news_count)
        top.addStretch(1)
        top.addWidget(self.graduates_count)
        page = QWidget()
        page.setObjectName("followUpPage")
        lay_out_page(
            page,
            top=top,
            table=self.graduates_table,
            empty=self.no_graduates,
            panels=((self.follow_panel, 1), (self.history_panel, 1)),
            share=2,
            margins=PAGE_MARGINS,
        )
        tab_chain(
            self.no_news_only,
            self.graduates_table,
            self.outcome,
            self.follow_date,
            self.organisation,
            self.details,
            self.record_button,
        )
        return page

    # -- text ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Events and follow-up"))
        self.tabs.setTabText(EVENTS_TAB, _("Events"))
        self.tabs.setTabText(FOLLOW_UP_TAB, _("Follow-up after training"))
        self.new_button.setText(_("New event"))
        self.new_button.setToolTip(_("Record a seminar, an awareness day or a celebration"))
        self.no_events.setText(
            _("No event has been recorded yet. Record the first one with “New event”.")
        )
        self.correct_button.setText(_("Correct…"))
        self.correct_button.setToolTip(_("Correct the title, date or place of this event"))
        self.remove_button.setText(_("Remove"))
        self.remove_button.setToolTip(_("Remove this event from the register"))
        self.take_off_button.setText(_("Take off the list"))
        self.add_button.setText(_("Add to the event"))
        self.add_button.setToolTip(_("Add the people chosen in the list (Enter)"))
        self.guest_button.setText(_("Add a guest…"))
        self.guest_button.setToolTip(_("A speaker, a partner or an official, by name"))

        self.no_news_only.setText(_("Only those with no news for six months"))
        self.outcome.setItemText(0, _("Choose…"))
        for index, outcome in enumerate(FollowUpOutcome, start=1):
            self.outcome.setItemText(index, outcome.label)
        self.follow_form.set_labels(
            {
                "outcome": _("Situation"),
                "date": _("Date of the news"),
                "organisation": _("Where"),
                "details": _("Details"),
            }
        )
        self.organisation.setPlaceholderText(_("Employer, cooperative or training body"))
        self.details.setPlaceholderText(_("e.g. one-year contract"))
        self.record_button.setText(_("Record the news"))
        self.history_heading.setText(_("Earlier news"))
        for model in (
            self.event_model,
            self.participant_model,
            self.graduate_model,
            self.history_model,
        ):
            model.retranslate()
        self.people.retranslate()
        for dialog in (self.event_dialog, self.guest_dialog):
            if dialog is not None:
                dialog.retranslate_ui()
        self._fill_texts()

    def _fill_texts(self) -> None:
        """The texts that depend on what is loaded, in the current language."""
        self._fill_event_texts()
        self._fill_follow_up_texts()
        self._update_buttons()

    def _fill_event_texts(self) -> None:
        count = len(self._events)
        self.events_count.setText(
            ngettext("{n} event recorded", "{n} events recorded", count).format(
                n=format_number(count)
            )
            if count
            else ""
        )
        self.no_events.setVisible(self._loaded and not self._events)
        event = self.chosen_event()
        if event is None:
            self.event_heading.setText(_("Who came"))
            self.event_facts.setText(_("Choose an event above to see who came."))
            self.participants_count.setText("")
            self.add_heading.setText(_("Add people"))
        else:
            self.event_heading.setText(isolated(event_title(event)))
            facts = [EventKind(event.kind).label, format_date(event.date)]
            if event.place:
                facts.append(isolated(event.place))
            self.event_facts.setText(" · ".join(facts))
            self.participants_count.setText(people_summary(event))
            self.add_heading.setText(_("Add people to this event"))
        self.people.fill_found(
            hint=_("Find beneficiaries of the centre, then choose who came."),
            found=lambda n: ngettext(
                "{n} person found: choose who came (Ctrl or Shift for several).",
                "{n} people found: choose who came (Ctrl or Shift for several).",
                n,
            ),
        )
        self.added.setText(
            ngettext("{n} person added.", "{n} people added.", self._added_now).format(
                n=format_number(self._added_now)
            )
            if self._added_now
            else ""
        )

    def _fill_follow_up_texts(self) -> None:
        total = len(self._graduates)
        due = sum(1 for g in self._graduates if g.no_news)
        self.graduates_count.setText(
            ngettext("{n} graduate", "{n} graduates", total).format(n=format_number(total))
            if total
            else ""
        )
        self.no_news_count.setText(
            ngettext("({n} graduate with no news)", "({n} graduates with no news)", due).format(
                n=format_number(due)
            )
            if due
            else ""
        )
        if not self._graduates:
            self.no_graduates.setText(
                _(
                    "Nobody has completed a training yet: graduates appear here when their "
                    "enrolment ends as completed."
                )
            )
        else:
            self.no_graduates.setText(_("Every graduate has given news in the last six months."))
        self.no_graduates.setVisible(self._loaded and not self.graduate_model.rowCount())
        graduate = self.chosen_graduate()
        self.follow_panel.setEnabled(graduate is not None)
        if graduate is None:
            self.follow_heading.setText(_("What became of the graduate?"))
            self.follow_training.setText(_("Choose a graduate in the list above."))
            self.history_empty.setText("")
        else:
            self.follow_heading.setText(
                _("What became of {name}?").format(name=isolated(graduate.full_name_ar))
            )
            self.follow_training.setText(
                _("{training}, {group}, season {season}: completed on {date}").format(
                    training=isolated(programme_name(graduate)),
                    group=isolated(graduate.group_name),
                    season=ltr(graduate.season_label),
                    date=format_date(graduate.end_date),
                )
            )
            self.history_empty.setText(
                "" if self.history_model.rowCount() else _("No news recorded yet.")
            )
        self.recorded.setText(
            _("The news of {name} is recorded.").format(name=isolated(self._recorded_name))
            if self._recorded_name
            else ""
        )

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        today = self.context.today()

        def work(uow: UnitOfWork) -> tuple[list[EventRecord], list[GraduateRecord]]:
            return service.list_events(uow), followups.list_graduates(uow, today=today)

        self.context.runner.with_uow(work, on_done=self._show_lists, read_only=True)

    def _show_lists(self, result: tuple[list[EventRecord], list[GraduateRecord]]) -> None:
        self._events, self._graduates = result
        self._loaded = True
        # Without a chosen event, the newest one: who came shows at once.
        chosen = self.event_rows.refill(self._events, keep=self._event_id, or_first=True)
        self._event_id = chosen.id if chosen else None
        self._fill_graduates()
        self._load_details()

    def _fill_graduates(self) -> bool:
        """List the graduates the tick lets through, keeping the chosen one when she is
        among them (the first otherwise); True when that changed who is chosen."""
        shown = [g for g in self._graduates if g.no_news or not self.no_news_only.isChecked()]
        chosen = self.graduate_rows.refill(shown, keep=self._graduate_id, or_first=True)
        new_id = chosen.beneficiary_id if chosen else None
        changed, self._graduate_id = new_id != self._graduate_id, new_id
        return changed

    def _filter_changed(self) -> None:
        if self._fill_graduates():
            self.follow_messages.clear()
            self._load_details()
        self._fill_texts()

    def _load_details(self) -> None:
        """The chosen event's people and the chosen graduate's news, in one read; an
        answer overtaken by a newer choice is dropped."""
        self._serial += 1
        serial, event_id, graduate_id = self._serial, self._event_id, self._graduate_id

        def work(uow: UnitOfWork) -> tuple[list[ParticipantRecord], list[FollowUpRecord]]:
            people = service.list_participants(uow, event=event_id) if event_id else []
            news = (
                followups.list_follow_ups(uow, beneficiary=str(graduate_id)) if graduate_id else []
            )
            return people, news

        def shown(result: tuple[list[ParticipantRecord], list[FollowUpRecord]]) -> None:
            if serial == self._serial:
                self._show_details(*result)

        self.context.runner.with_uow(work, on_done=shown, read_only=True)

    def _show_details(self, people: list[ParticipantRecord], news: list[FollowUpRecord]) -> None:
        chosen = self._chosen_participant()
        refill(
            self.participants_table,
            self.participant_model,
            records=people,
            keep=chosen.id if chosen else None,
        )
        self.people.set_listed(self.participant_model.beneficiary_ids())
        self.history_model.set_records(news)
        self._fill_texts()

    # -- choosing ------------------------------------------------------------------------

    def chosen_event(self) -> EventRecord | None:
        return self.event_model.record_at(self.event_model.row_of(self._event_id))

    def chosen_graduate(self) -> GraduateRecord | None:
        return self.graduate_model.record_at(self.graduate_model.row_of(self._graduate_id))

    def _chosen_participant(self) -> ParticipantRecord | None:
        return self.participant_model.record_at(self.participants_table.currentIndex().row())

    def _event_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.event_rows.filling:
            return
        record = self.event_model.record_at(current.row())
        new_id = record.id if record else None
        if new_id != self._event_id:
            self._added_now = 0
            self.add_messages.clear()
        self._event_id = new_id
        self._load_details()

    def _graduate_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.graduate_rows.filling:
            return
        record = self.graduate_model.record_at(current.row())
        new_id = record.beneficiary_id if record else None
        if new_id != self._graduate_id:
            self.follow_messages.clear()
            self._recorded_name = ""
        self._graduate_id = new_id
        self._load_details()

    # -- events --------------------------------------------------------------------------

    def new_event(self) -> None:
        self._open_dialog(None)

    def correct_event(self) -> None:
        event = self.chosen_event()
        if event is not None:
            self._open_dialog(event)

    def _open_dialog(self, event: EventRecord | None) -> None:
        if self._dialog_open():
            return
        given = service.input_from_record(event) if event is not None else None
        dialog = EventDialog(today=self.context.today(), given=given, parent=self)
        dialog.submitted.connect(lambda values: self._save_event(event, values))
        dialog.finished.connect(self._dialog_closed)
        self.event_dialog = dialog
        dialog.open()
        dialog.title_ar.setFocus()

    def _save_event(self, event: EventRecord | None, values: EventInput) -> None:
        today = self.context.today()

        def work(uow: UnitOfWork) -> EventRecord:
            if event is None:
                return service.create_event(uow, values, today=today)
            return service.update_event(uow, event.id, data=values, today=today)

        def saved(record: EventRecord) -> None:
            self._event_id = record.id
            self._saved(self.event_dialog)

        self.context.runner.with_uow(
            work,
            on_done=saved,
            on_error=lambda error: self._dialog_refused(self.event_dialog, error),
        )

    def _dialog_open(self) -> bool:
        """One dialog at a time: asking for a second one brings the first forward."""
        dialog = self.event_dialog or self.guest_dialog
        if dialog is not None:
            dialog.raise_()
        return dialog is not None

    def _saved(self, dialog: FormDialog | None) -> None:
        if dialog is not None:
            dialog.accept()
        self.context.announce("event")

    def _dialog_refused(self, dialog: FormDialog | None, error: BaseException) -> None:
        if dialog is not None and isinstance(error, InputRejected):
            dialog.show_errors(error)
            return
        if dialog is not None:
            dialog.reject()
        self.report_failure(error)

    def _dialog_closed(self) -> None:
        for dialog in (self.event_dialog, self.guest_dialog):
            if dialog is not None:
                dialog.deleteLater()
        self.event_dialog = self.guest_dialog = None
        self.events_table.setFocus()

    def remove_event(self) -> None:
        event = self.chosen_event()
        if event is None:
            return
        answer = QMessageBox.question(
            self,
            _("Remove the event"),
            _("Remove “{title}” of {date} and its list of participants?").format(
                title=isolated(event_title(event)), date=format_date(event.date)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._event_id = None
        self.context.runner.with_uow(
            lambda uow: service.remove_event(uow, event.id),
            on_done=lambda _result: self.context.announce("event"),
            on_error=self.report_failure,
        )

    # -- people at the chosen event ------------------------------------------------------

    def add_chosen(self) -> None:
        people, event = self.people.chosen(), self.chosen_event()
        if not people or event is None:
            return
        refs = [str(person.id) for person in people]
        self.add_messages.clear()
        self._added_now = 0

        def work(uow: UnitOfWork) -> int:
            return len(service.add_participants(uow, event=event.id, beneficiaries=refs))

        self.context.runner.with_uow(
            work,
            on_done=self._added,
            on_error=lambda error: self._refused(error, self.add_messages),
        )

    def _added(self, count: int) -> None:
        self._added_now = count
        self.people.table.clearSelection()
        self.context.announce("event")

    def new_guest(self) -> None:
        event = self.chosen_event()
        if event is None:
            return
        if self._dialog_open():
            return
        dialog = GuestDialog(event=event_title(event), parent=self)
        dialog.submitted.connect(lambda values: self._add_guest(event, values))
        dialog.finished.connect(self._dialog_closed)
        self.guest_dialog = dialog
        dialog.open()
        dialog.name.setFocus()

    def _add_guest(self, event: EventRecord, values: GuestInput) -> None:
        def work(uow: UnitOfWork) -> ParticipantRecord:
            return service.add_guest(
                uow,
                event=event.id,
                name=values.name,
                organisation=values.organisation,
                role=values.role,
            )

        self.context.runner.with_uow(
            work,
            on_done=lambda _guest: self._saved(self.guest_dialog),
            on_error=lambda error: self._dialog_refused(self.guest_dialog, error),
        )

    def take_off(self) -> None:
        person = self._chosen_participant()
        if person is None:
            return
        self.context.runner.with_uow(
            lambda uow: service.remove_participant(uow, person.id),
            on_done=lambda _result: self.context.announce("event"),
            on_error=self.report_failure,
        )

    # -- follow-up -----------------------------------------------------------------------

    def record_news(self) -> None:
        graduate = self.chosen_graduate()
        if graduate is None:
            return
        outcome, day = self.outcome.currentData() or "", self.follow_date.text()
        organisation, details = self.organisation.text(), self.details.text()
        today = self.context.today()
        self.follow_messages.clear()
        self._recorded_name = ""

        def work(uow: UnitOfWork) -> FollowUpRecord:
            return followups.record_follow_up(
                uow,
                beneficiary=str(graduate.beneficiary_id),
                outcome=outcome,
                date=day,
                organisation=organisation,
                details=details,
                today=today,
            )

        self.context.runner.with_uow(
            work,
            on_done=lambda _news: self._news_recorded(graduate),
            on_error=lambda error: self._refused(error, self.follow_messages),
        )

    def _news_recorded(self, graduate: GraduateRecord) -> None:
        self._recorded_name = graduate.full_name_ar
        self.outcome.setCurrentIndex(0)
        self.follow_date.setText(self.context.today().isoformat())
        self.organisation.clear()
        self.details.clear()
        self.context.announce("follow_up")

    # -- shared --------------------------------------------------------------------------

    def _refused(self, error: BaseException, messages: FieldMessages) -> None:
        if isinstance(error, InputRejected):
            messages.show(error)
        else:
            self.report_failure(error)

    def _update_buttons(self) -> None:
        event = self.chosen_event()
        for button in (self.correct_button, self.remove_button, self.guest_button):
            button.setEnabled(event is not None)
        self.add_panel.setEnabled(event is not None)
        self.take_off_button.setEnabled(self._chosen_participant() is not None)
        self.add_button.setEnabled(event is not None and bool(self.people.chosen()))
