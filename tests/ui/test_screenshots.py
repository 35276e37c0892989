"""`sijill gui --screen S --screenshot OUT.png` draws every screen, in Arabic and French.

The GUI command makes its own QApplication, so it runs in child processes: one per
language, side by side, each drawing every screen through ``app.cli.main.main``.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.groups import add_group, enrol
from app.ui.application import WINDOW_SIZE
from app.ui.navigation import SCREEN_KEYS
from tests.integration.conftest import TODAY, make_centre

DRAW_EVERY_SCREEN = """
import sys
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from app.cli.main import main

language, folder, *screens = sys.argv[1:]
for screen in screens:
    out = f"{folder}/{screen}-{language}.png"
    code = main(["--lang", language, "gui", "--screen", screen, "--screenshot", out])
    if code:
        sys.exit(f"sijill gui --screen {screen} failed with {code}")
    # One command is one process in real use: drop this run's window before the next.
    for widget in QApplication.topLevelWidgets():
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
"""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SMALLEST = 20_000  # bytes: a blank 1280x800 window compresses to far less


def _register(location: str) -> None:
    register = make_centre(location)
    with register.unit_of_work() as uow:
        register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar="العلوي",
                given_name_ar="فاطمة",
                sex="F",
                birth_date="1995-03-04",
                cin="K123456",
            ),
            today=TODAY,
        )
        add_group(
            uow,
            programme="EFT-COU",
            name="الخياطة أ",
            days="mon,wed",
            hours="09:00-12:00",
            capacity=20,
        )
    with register.unit_of_work() as uow:
        enrol(uow, group="الخياطة أ", beneficiaries=["K123456"], today=TODAY)
    register.close()


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_every_screen_is_drawn_in_both_languages(tmp_path: Path) -> None:
    location = str(tmp_path / "centre.sqlite")
    _register(location)
    env = {**os.environ, "SIJILL_DB": location, "SIJILL_TODAY": TODAY.isoformat()}
    children = {
        language: subprocess.Popen(
            [sys.executable, "-c", DRAW_EVERY_SCREEN, language, str(tmp_path), *SCREEN_KEYS],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for language in ("ar", "fr")
    }
    for language, child in children.items():
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, f"{language}: exit {child.returncode}\n{out}\n{err}"
    for language in children:
        for screen in SCREEN_KEYS:
            picture = tmp_path / f"{screen}-{language}.png"
            assert picture.exists(), picture.name
            assert _png_size(picture) == WINDOW_SIZE, picture.name
            assert picture.stat().st_size > SMALLEST, picture.name
