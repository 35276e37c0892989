"""A register's fingerprint in large digits, to read aloud or compare on paper; and the
dialog that trusts the delegation's identity once its fingerprint was compared.

Enrolment is done once, by phone or face to face: each side reads the thirty digits of
its fingerprint and the other checks them against what its own screen shows. The digits
come in two lines of three groups, left to right in Arabic too (numbers read that way),
large enough to read without leaning towards the screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, isolated, ltr

GROUPS_PER_LINE = 3
DIGITS_POINT_SIZE = 24


class LargeFingerprint(QFrame):
    """The thirty digits, six groups of five in two lines, always left to right."""

    def __init__(self, fingerprint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        # Left to right whatever the window's direction: the first group is read first.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        font = QFont(self.font())
        font.setPointSize(DIGITS_POINT_SIZE)
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 2)
        grid = QGridLayout(self)
        grid.setContentsMargins(24, 16, 24, 16)
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(8)
        self.groups: list[QLabel] = []
        for number, group in enumerate(fingerprint.split()):
            label = QLabel(group)
            label.setFont(font)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(label, number // GROUPS_PER_LINE, number % GROUPS_PER_LINE)
            self.groups.append(label)

    def text(self) -> str:
        return " ".join(label.text() for label in self.groups)


def _heading() -> QLabel:
    label = QLabel()
    label.setObjectName("cardTitle")
    label.setWordWrap(True)
    return label


def _paragraph() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    return label


class FingerprintDialog(QDialog):
    """This register's fingerprint, large, to read to the delegation."""

    def __init__(self, fingerprint: str, *, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fingerprint")
        self.setMinimumWidth(560)
        self._code = code
        self.heading = _heading()
        self.explanation = _paragraph()
        self.digits = LargeFingerprint(fingerprint)
        self.close_button = QPushButton()
        self.close_button.setObjectName("primary")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.explanation)
        layout.addWidget(self.digits)
        layout.addLayout(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Fingerprint of this register"))
        self.heading.setText(
            _("Fingerprint of this register ({code})").format(code=ltr(self._code))
        )
        self.explanation.setText(
            _(
                "Read these digits to the delegation, group by group. The delegation "
                "compares them with what its screen shows for this register: they must be "
                "exactly the same."
            )
        )
        self.close_button.setText(_("Close"))


class TrustDialog(QDialog):
    """Who the identity file says it is, its fingerprint in large digits, and the
    coordinator's confirmation that the delegation read the same digits."""

    def __init__(
        self, *, name: str, code: str, fingerprint: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trustIdentity")
        self.setMinimumWidth(600)
        self._name, self._code = name, code
        self.heading = _heading()
        self.who = _paragraph()
        self.who.setObjectName("trustedWho")
        self.explanation = _paragraph()
        self.digits = LargeFingerprint(fingerprint)
        self.same = QCheckBox()
        self.same.setObjectName("sameDigits")
        self.trust_button = QPushButton()
        self.trust_button.setObjectName("primary")
        self.trust_button.setDefault(True)
        self.trust_button.setEnabled(False)
        self.trust_button.clicked.connect(self.accept)
        self.same.toggled.connect(self.trust_button.setEnabled)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.trust_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.who)
        layout.addWidget(self.explanation)
        layout.addWidget(self.digits)
        layout.addWidget(self.same)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.same, self.trust_button)
        QWidget.setTabOrder(self.trust_button, self.cancel_button)
        self.same.setFocus()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Trust the delegation's identity"))
        self.heading.setText(_("Trust the delegation's identity"))
        self.who.setText(
            _("Delegation: {name} (code {code})").format(
                name=isolated(self._name), code=ltr(self._code)
            )
        )
        self.explanation.setText(
            _(
                "Call the delegation, or meet it, and ask it to read the fingerprint of "
                "its register. Trust this file only if the delegation reads exactly these "
                "digits: a file with other digits may come from someone else."
            )
        )
        self.same.setText(_("The delegation read me exactly these digits"))
        self.trust_button.setText(_("Trust the delegation"))
        self.cancel_button.setText(_("Cancel"))
