"""Refusals shown where they belong: each message under its own field, the rest on top.

Services refuse input with ``InputRejected``, whose errors name the field (the keyword of
the service function). A form registers each input under that name; this helper puts
each message in a red line beneath its input, marks the input, and moves the cursor to
the first refused one, so nobody has to work out which box a message was about.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from app.services.errors import InputRejected


def error_label() -> QLabel:
    """A red message line, hidden until there is something to say."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


class FieldMessages:
    """The message lines of one form, keyed by the service's field names."""

    def __init__(self, general: QLabel) -> None:
        self.general = general
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def wrap(self, field: str, widget: QWidget, *, focus: QWidget | None = None) -> QLayout:
        """``widget`` with its message line beneath, for a form row; ``focus`` is the input
        the cursor goes to when the field is refused (``widget`` itself by default)."""
        label = error_label()
        self._fields[field] = (focus or widget, label)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(label)
        return column

    def label(self, field: str) -> QLabel:
        return self._fields[field][1]

    def clear(self) -> None:
        self.general.hide()
        for widget, label in self._fields.values():
            label.hide()
            self._mark(widget, invalid=False)

    def show(self, rejected: InputRejected) -> None:
        self.clear()
        # Two refusals of one field (two people too young) stay two lines.
        by_field: dict[str, list[str]] = {}
        for error in rejected.errors:
            key = error.field if error.field in self._fields else ""
            by_field.setdefault(key, []).append(error.message)
        first: QWidget | None = None
        for field, messages in by_field.items():
            label = self._fields[field][1] if field else self.general
            label.setText("\n".join(messages))
            label.show()
            if field:
                widget = self._fields[field][0]
                self._mark(widget, invalid=True)
                first = first or widget
        if first is not None:
            first.setFocus()

    @staticmethod
    def _mark(widget: QWidget, *, invalid: bool) -> None:
        widget.setProperty("invalid", invalid)
        widget.style().polish(widget)
