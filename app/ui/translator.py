"""Feeding Qt's own widgets from Sijill's gettext catalog, and Qt's stock translations.

Sijill's strings are translated with gettext (``app.i18n``); a QTranslator that asks the
same catalog lets Qt-side strings (``tr()`` calls, if any) share it. Qt's own dialogs and
context menus ("Copy", "Cancel") come from the ``qtbase`` translations PySide6 ships.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from app.i18n import translations


class GettextTranslator(QTranslator):
    def __init__(self, language: str) -> None:
        super().__init__()
        self._catalog = translations(language)

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        translated = self._catalog.gettext(source)
        return translated if translated != source else ""


class Translators:
    """The translators installed for the current language, swapped on a language change."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []

    def install(self, language: str) -> None:
        app = QCoreApplication.instance()
        for old in self._installed:
            app.removeTranslator(old)
        qt_base = QTranslator()
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        installed: list[QTranslator] = [GettextTranslator(language)]
        if qt_base.load(f"qtbase_{language}", folder):
            installed.append(qt_base)
        for translator in installed:
            app.installTranslator(translator)
        self._installed = installed
