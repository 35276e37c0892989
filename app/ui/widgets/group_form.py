"""The "new group" dialog: programme, name, meeting days, hours and places.

Built so that little can be typed wrong: the programme is chosen from the catalogue, the
days are ticked, the places have a spin box. Hours are two plain boxes that take a time
the way people write it (8h30, 830, 8:30): Qt's QTimeEdit puts the typed digits in the
wrong section in a right-to-left window. What the services still refuse (a name already
taken, no day ticked, hours the wrong way round) comes back under its own field and the
dialog stays open with everything typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.i18n import _, current_language
from app.services.groups import MAX_CAPACITY
from app.services.records import ProgrammeRecord
from app.ui.widgets.dialog_form import FormDialog, short_field
from app.vocabulary import Weekday

DEFAULT_CAPACITY = 20
DAYS_PER_ROW = 4


@dataclass(frozen=True)
class GroupInput:
    """What the dialog asks ``app.services.groups.add_group`` for; the hours as typed."""

    programme: str
    name: str
    days: str
    start: str
    end: str
    capacity: int


class GroupDialog(FormDialog):
    def __init__(self, programmes: list[ProgrammeRecord], parent: QWidget | None = None) -> None:
        super().__init__(parent, name="groupDialog", width=640)
        self._programmes = programmes
        self.programme = QComboBox()
        self.programme.setObjectName("programme")
        for programme in programmes:
            self.programme.addItem("", programme.code)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.day_boxes: dict[Weekday, QCheckBox] = {}
        days = QWidget()
        day_grid = QGridLayout(days)
        day_grid.setContentsMargins(0, 0, 0, 0)
        day_grid.setHorizontalSpacing(18)
        # Two rows in week order: seven names in one row do not fit in French.
        for index, day in enumerate(Weekday):
            box = QCheckBox()
            box.setObjectName(f"day_{day.value}")
            self.day_boxes[day] = box
            day_grid.addWidget(box, index // DAYS_PER_ROW, index % DAYS_PER_ROW)
        day_grid.setColumnStretch(DAYS_PER_ROW, 1)
        self.start = self._time_edit("start")
        self.end = self._time_edit("end")
        self.until = QLabel()
        hours = QWidget()
        hour_row = QHBoxLayout(hours)
        hour_row.setContentsMargins(0, 0, 0, 0)
        hour_row.addWidget(self.start)
        hour_row.addWidget(self.until)
        hour_row.addWidget(self.end)
        hour_row.addStretch(1)
        self.capacity = QSpinBox()
        self.capacity.setObjectName("capacity")
        self.capacity.setRange(1, MAX_CAPACITY)
        self.capacity.setValue(DEFAULT_CAPACITY)
        self.capacity.setMinimumWidth(90)

        self.form.add_field("programme", self.programme)
        self.form.add_field("name", self.name)
        self.form.add_field("days", days, focus=self.day_boxes[Weekday.MON])
        self.form.add_field("hours", hours, focus=self.start)
        self.form.add_field("capacity", short_field(self.capacity), focus=self.capacity)
        self._lay_out(
            tab_order=(
                self.programme,
                self.name,
                *self.day_boxes.values(),
                self.start,
                self.end,
                self.capacity,
            )
        )
        self.retranslate_ui()

    @staticmethod
    def _time_edit(name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setMaxLength(5)
        # Clock times read left to right in Arabic too.
        edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        edit.setFixedWidth(80)
        return edit

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("New group"))
        self.heading.setText(_("Open a group for this season"))
        arabic = current_language() == "ar"
        for index, programme in enumerate(self._programmes):
            self.programme.setItemText(index, programme.name_ar if arabic else programme.name_fr)
        for day, box in self.day_boxes.items():
            box.setText(day.label)
        self.until.setText(_("to"))
        self.start.setPlaceholderText("09:00")
        self.end.setPlaceholderText("12:00")
        self.form.set_labels(
            {
                "programme": _("Programme"),
                "name": _("Name of the group"),
                "days": _("Meeting days"),
                "hours": _("Hours"),
                "capacity": _("Places"),
            }
        )
        self.name.setPlaceholderText(_("e.g. Sewing, morning group"))
        self.submit_button.setText(_("Create the group"))

    def values(self) -> GroupInput:
        return GroupInput(
            programme=self.programme.currentData() or "",
            name=self.name.text(),
            days=",".join(day.value for day, box in self.day_boxes.items() if box.isChecked()),
            start=self.start.text(),
            end=self.end.text(),
            capacity=self.capacity.value(),
        )
