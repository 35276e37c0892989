"""The table of the people a search found, to add to a list: a group's members (the groups
screen) or an event's participants (the events screen).

Those already on the list are shown faded and cannot be chosen, so "select all" never picks
someone the services would refuse or add twice; hovering over them says why.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from PySide6.QtCore import Qt

from app.i18n import N_, _
from app.services.records import BeneficiaryRecord
from app.ui.table_models.record_list import Column, Index, RecordListModel

FOUND_COLUMNS: tuple[Column[BeneficiaryRecord], ...] = (
    Column(
        N_("Name"), lambda b: b.full_name_ar, tooltip=lambda b: b.full_name_latin or b.full_name_ar
    ),
    Column(N_("ID card no."), lambda b: b.cin or "", centred=True),
    Column(N_("Birth date"), lambda b: b.birth_date.isoformat(), centred=True),
)


class FoundPeopleModel(RecordListModel[BeneficiaryRecord]):
    """People a search found; subclasses name, in ``already``, what the list is."""

    #: The tooltip of someone already on the list: an English msgid, marked with ``N_``.
    already: ClassVar[str]

    def __init__(self) -> None:
        super().__init__(FOUND_COLUMNS, lambda b: b.id, faded=self.is_listed)
        self._listed: frozenset[uuid.UUID] = frozenset()

    def is_listed(self, person: BeneficiaryRecord) -> bool:
        return person.id in self._listed

    def set_listed(self, listed: frozenset[uuid.UUID]) -> None:
        """The beneficiaries already on the list the found people would join."""
        self._listed = listed
        self.cells_changed()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.ToolTipRole:
            person = self.record_of(index)
            if person is not None and self.is_listed(person):
                return _(self.already)
        return super().data(index, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        person = self.record_of(index)
        if person is not None and self.is_listed(person):
            return Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)
