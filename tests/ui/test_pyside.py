"""The pinned Qt binding must not leak on signals: PySide6 6.12.0 did.

On Python 3.11, 6.12.0 loses a reference to ``True`` on every ``Signal.emit()`` from
Python, and the process aborts ("bool_dealloc") after some thousands of signals, which a
day of work in the app reaches. An upgrade of the pin must pass this first.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    happened = Signal(int)


def test_emitting_a_signal_leaks_no_reference() -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.happened.connect(received.append)
    before = sys.getrefcount(True)
    for n in range(1000):
        emitter.happened.emit(n)
    assert len(received) == 1000
    assert sys.getrefcount(True) - before < 10
