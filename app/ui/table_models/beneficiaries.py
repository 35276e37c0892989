"""The beneficiaries list: a search result's length, its rows fetched as they scroll in.

A search brings its first page (ids and records) and how many people match; the other
pages come from the services in chunks, on the worker thread, when the view first asks
for one of their rows, so a keystroke never reads thousands of ids. A new search bumps
the generation, so late chunks of an older search are dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.i18n import N_, _
from app.services.beneficiaries import (
    BeneficiaryFilter,
    BeneficiaryPage,
    beneficiaries_by_id,
    find_beneficiary_ids,
)
from app.services.records import BeneficiaryRecord
from app.services.unit_of_work import UnitOfWork
from app.ui.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
CHUNK = 100
SHOWN_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole})

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
        self._filters = BeneficiaryFilter()
        # One slot per row; None until the chunk holding the row has arrived.
        self._ids: list[uuid.UUID | None] = []
        self._cache: dict[uuid.UUID, BeneficiaryRecord] = {}
        self._requested: set[int] = set()
        self._generation = 0

    # -- filling -----------------------------------------------------------------------

    def set_rows(self, filters: BeneficiaryFilter, page: BeneficiaryPage) -> None:
        """Show a new result: the search it answers, its length and its first page."""
        self.beginResetModel()
        self._generation += 1
        self._filters = filters
        self._ids = [*page.ids, *[None] * (page.total - len(page.ids))]
        self._cache = dict(page.records)
        self._requested = {0} if page.ids else set()
        self.endResetModel()

    def _fetch(self, row: int) -> None:
        start = row - row % CHUNK
        if start in self._requested:
            return
        self._requested.add(start)
        filters, generation = self._filters, self._generation
        size = min(CHUNK, len(self._ids) - start)

        def work(uow: UnitOfWork) -> tuple[list[uuid.UUID], dict[uuid.UUID, BeneficiaryRecord]]:
            ids = find_beneficiary_ids(uow, filters, limit=size, offset=start)
            return ids, beneficiaries_by_id(uow, ids)

        def arrived(result: tuple[list[uuid.UUID], dict[uuid.UUID, BeneficiaryRecord]]) -> None:
            if generation != self._generation:
                return
            ids, records = result
            self._ids[start : start + len(ids)] = ids
            self._cache.update(records)
            last = min(start + CHUNK, len(self._ids)) - 1
            self.dataChanged.emit(self.index(start, 0), self.index(last, len(COLUMNS) - 1))

        self._runner.with_uow(work, on_done=arrived, read_only=True)

    def replace(self, record: BeneficiaryRecord) -> None:
        """A record was saved: update its row if shown."""
        self._cache[record.id] = record
        if (row := self.row_of(record.id)) >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def record_at(self, row: int) -> BeneficiaryRecord | None:
        if 0 <= row < len(self._ids) and (person := self._ids[row]) is not None:
            return self._cache.get(person)
        return None

    def row_of(self, beneficiary_id: uuid.UUID) -> int:
        """The row of this person among the rows that have arrived; -1 if not there."""
        return self._ids.index(beneficiary_id) if beneficiary_id in self._ids else -1

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Asked first: a view asks about a dozen roles of every cell it paints.
        if role not in SHOWN_ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._ids):
            return None
        record = self.record_at(row)
        if record is None:
            self._fetch(row)
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
