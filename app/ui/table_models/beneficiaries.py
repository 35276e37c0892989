"""The beneficiaries list: the ids of the matching people, rows fetched as they scroll in.

Only the ids of a search result are held (cheap even for 100,000 people); rows come from
the services in chunks, on the worker thread, when the view first asks for them. A new
search bumps the generation, so late chunks of an older search are dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.i18n import N_, _
from app.services.beneficiaries import beneficiaries_by_id
from app.services.records import BeneficiaryRecord
from app.ui.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
CHUNK = 200

COLUMNS: tuple[tuple[str, str, Callable[[BeneficiaryRecord], str]], ...] = (
    ("name_ar", N_("Name"), lambda r: r.full_name_ar),
    ("name_latin", N_("Name in Latin letters"), lambda r: r.full_name_latin),
    ("cin", N_("ID card no."), lambda r: r.cin or ""),
    ("birth_date", N_("Birth date"), lambda r: r.birth_date.isoformat()),
    ("phone", N_("Phone"), lambda r: r.phone or ""),
)


class BeneficiaryTableModel(QAbstractTableModel):
    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self._runner = runner
        self._ids: list[uuid.UUID] = []
        self._cache: dict[uuid.UUID, BeneficiaryRecord] = {}
        self._requested: set[int] = set()
        self._generation = 0

    # -- filling -----------------------------------------------------------------------

    def set_rows(self, ids: list[uuid.UUID], first: dict[uuid.UUID, BeneficiaryRecord]) -> None:
        """Show a new result: its ids, and the records of its first chunk."""
        self.beginResetModel()
        self._generation += 1
        self._ids = ids
        self._cache = dict(first)
        self._requested = {0} if first else set()
        self.endResetModel()

    def _fetch(self, row: int) -> None:
        start = row - row % CHUNK
        if start in self._requested:
            return
        self._requested.add(start)
        ids, generation = self._ids[start : start + CHUNK], self._generation

        def arrived(records: dict[uuid.UUID, BeneficiaryRecord]) -> None:
            if generation != self._generation:
                return
            self._cache.update(records)
            last = min(start + CHUNK, len(self._ids)) - 1
            self.dataChanged.emit(self.index(start, 0), self.index(last, len(COLUMNS) - 1))

        self._runner.with_uow(
            lambda uow: beneficiaries_by_id(uow, ids), on_done=arrived, read_only=True
        )

    def replace(self, record: BeneficiaryRecord) -> None:
        """A record was saved: update its row if shown."""
        self._cache[record.id] = record
        if record.id in self._ids:
            row = self._ids.index(record.id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def record_at(self, row: int) -> BeneficiaryRecord | None:
        if 0 <= row < len(self._ids):
            return self._cache.get(self._ids[row])
        return None

    def row_of(self, beneficiary_id: uuid.UUID) -> int:
        return self._ids.index(beneficiary_id) if beneficiary_id in self._ids else -1

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        record = self._cache.get(self._ids[index.row()])
        if record is None:
            self._fetch(index.row())
            return "…"
        return COLUMNS[index.column()][2](record)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None
