"""The start screen: today's groups, who may be dropping out, what is due, the sync state.

The figures come first; who may be dropping out follows (it sums up the whole month's
attendance), and the card says it is looking meanwhile. A very large centre is looked
through a slice of groups per piece of background work, so a search typed meanwhile
runs between two slices instead of after them all. Long lists show their first lines and
how many more there are.
"""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import _, format_date, format_number, is_rtl, isolated, ltr, ngettext
from app.services.at_risk import (
    AtRisk,
    AtRiskRule,
    group_slices,
    in_list_order,
    people_at_risk,
)
from app.services.overview import Overview, overview
from app.sync.status import SyncStatus, describe_peer, sync_status
from app.ui.context import UiContext
from app.ui.screens.base import Screen
from app.ui.table_models.attendance_grid import risk_reason
from app.ui.widgets.card import Card

# Lines of a list shown on a card; the rest are counted.
SHOWN = 8


def rule_text(rule: AtRiskRule) -> str:
    """The at-risk rule in a sentence, and where to change it."""
    absences, rate = rule.consecutive_absences, rule.monthly_rate_below
    if absences and rate:
        text = _("Rule: {n} absences in a row, or below {rate} of the month's sessions.")
    elif absences:
        text = _("Rule: {n} absences in a row.")
    elif rate:
        text = _("Rule: below {rate} of the month's sessions.")
    else:
        text = _("The rule is off.")
    rate_text = _("{n} %").format(n=format_number(rate))
    return " ".join(
        (text.format(n=format_number(absences), rate=rate_text), _("Change it in Settings."))
    )


class HomeScreen(Screen):
    key = "home"
    shows = frozenset(
        {"beneficiary", "group", "enrolment", "attendance", "session", "centre", "settings", "sync"}
    )

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.subheading = QLabel()
        self.subheading.setObjectName("muted")
        self.today_card, self.risk_card = Card(), Card()
        self.documents_card, self.sync_card = Card(), Card()
        grid = QGridLayout()
        grid.setSpacing(14)
        grid.addWidget(self.today_card, 0, 0)
        grid.addWidget(self.risk_card, 0, 1)
        grid.addWidget(self.documents_card, 1, 0)
        grid.addWidget(self.sync_card, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addSpacing(10)
        layout.addLayout(grid)
        layout.addStretch(1)
        self._data: Overview | None = None
        self._at_risk: tuple[AtRisk, ...] | None = None  # None: still being looked for
        self._looking = 0  # which refresh the slices being looked through belong to
        self._sync: SyncStatus | None = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        # The centre's name is Arabic: without an absolute alignment, Qt would set it at
        # the right edge of a French window too.
        edge = Qt.AlignmentFlag.AlignRight if is_rtl() else Qt.AlignmentFlag.AlignLeft
        self.heading.setAlignment(edge | Qt.AlignmentFlag.AlignAbsolute)
        self.today_card.title.setText(_("Today's groups"))
        self.risk_card.title.setText(_("At risk of dropping out"))
        self.documents_card.title.setText(_("Documents due"))
        self.sync_card.title.setText(_("Delegation"))
        self._fill()

    def refresh(self) -> None:
        today = self.context.today()
        runner = self.context.runner
        runner.with_uow(lambda uow: overview(uow, today=today), on_done=self._show, read_only=True)
        runner.with_uow(sync_status, on_done=self._show_sync, read_only=True)
        self._looking += 1
        looking = self._looking
        runner.with_uow(
            group_slices,
            on_done=lambda slices: self._look_through(looking, today, slices, ()),
            read_only=True,
        )

    def _look_through(
        self,
        looking: int,
        today: dt.date,
        slices: list[tuple[uuid.UUID, ...]],
        found: tuple[AtRisk, ...],
    ) -> None:
        """Look for who may be dropping out in the next slice of groups, each slice a
        piece of work of its own; once none is left, show everyone found."""
        if looking != self._looking:
            return  # the screen refreshed meanwhile: a newer look is under way
        if not slices:
            self._show_risk(in_list_order(found))
            return
        groups, *rest = slices
        self.context.runner.with_uow(
            lambda uow: people_at_risk(uow, today=today, groups=groups),
            on_done=lambda part: self._look_through(looking, today, rest, (*found, *part)),
            read_only=True,
        )

    def _show_sync(self, state: SyncStatus) -> None:
        self._sync = state
        self._fill()

    def _show(self, data: Overview) -> None:
        self._data = data
        self._fill()

    def _show_risk(self, flagged: tuple[AtRisk, ...]) -> None:
        self._at_risk = flagged
        self._fill()

    def _go_button(self, text: str, key: str) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 4, 0, 0)
        button = QPushButton(text)
        button.clicked.connect(lambda: self.context.navigation_requested.emit(key))
        layout.addWidget(button)
        layout.addStretch(1)
        return row

    @staticmethod
    def _add_more(card: Card, count: int) -> None:
        if count > SHOWN:
            card.add_line(
                _("and {n} more").format(n=format_number(count - SHOWN)), object_name="muted"
            )

    def _fill(self) -> None:
        data = self._data
        for card in (self.today_card, self.risk_card, self.documents_card, self.sync_card):
            card.clear()
        if data is None:
            self.heading.setText(_("Welcome"))
            return
        self.heading.setText(data.centre_name)
        self.subheading.setText(
            _("Season {season} · {people} · {groups}").format(
                season=ltr(data.season_label),
                people=ngettext("{n} beneficiary", "{n} beneficiaries", data.beneficiaries).format(
                    n=format_number(data.beneficiaries)
                ),
                groups=ngettext("{n} group", "{n} groups", data.groups).format(
                    n=format_number(data.groups)
                ),
            )
        )
        today = self.context.today()
        if data.today_groups:
            for group in data.today_groups[:SHOWN]:
                line = f"{group.name} · {group.programme_name_ar}"
                if group.start_time:
                    line += f" · {ltr(f'{group.start_time}–{group.end_time}')}"
                self.today_card.add_line(line)
            self._add_more(self.today_card, len(data.today_groups))
            self.today_card.add(self._go_button(_("Mark attendance"), "attendance"))
        else:
            self.today_card.add_line(
                _("No group meets today ({day}).").format(day=format_date(today)),
                object_name="muted",
            )
        if self._at_risk is None:
            self.risk_card.add_line(
                _("Looking through this month's attendance…"), object_name="muted"
            )
        elif self._at_risk:
            for flagged in self._at_risk[:SHOWN]:
                self.risk_card.add_line(
                    _("{name} ({group}): {reason}").format(
                        name=isolated(flagged.beneficiary.full_name_ar),
                        group=isolated(flagged.group_name),
                        reason=risk_reason(flagged.risk),
                    ),
                    object_name="alert",
                )
            self._add_more(self.risk_card, len(self._at_risk))
        else:
            self.risk_card.add_line(
                _("Nobody is at risk of dropping out this month."), object_name="muted"
            )
        self.risk_card.add_line(rule_text(data.at_risk_rule), object_name="muted")
        month = format_date(data.report_month, style="MMMM y")
        self.documents_card.add_line(_("The monthly report for {month}.").format(month=month))
        self.documents_card.add(self._go_button(_("Open documents"), "documents"))
        delegations = [
            p for p in (self._sync.peers if self._sync else []) if p.role == "delegation"
        ]
        if delegations:
            for line in describe_peer(delegations[0]):
                self.sync_card.add_line(line)
        else:
            self.sync_card.add_line(
                _("Nothing has been sent to the delegation yet."), object_name="muted"
            )
        self.sync_card.add(self._go_button(_("Open sync"), "sync"))
        for card in (self.today_card, self.risk_card, self.documents_card, self.sync_card):
            card.body.setAlignment(Qt.AlignmentFlag.AlignTop)
