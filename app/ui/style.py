"""The application's look: calm colours, generous spacing, large click targets.

One stylesheet, so every screen looks like part of the same register. Colours are few and
soft: a warm paper background, white cards, one teal for actions and selection, red only
for what needs attention.
"""

from __future__ import annotations

PAPER = "#f6f4ef"
CARD = "#ffffff"
INK = "#1f2a30"
MUTED = "#5f6b72"
ACCENT = "#1f6f78"
ACCENT_SOFT = "#dcecee"
ALERT = "#b3261e"
LINE = "#dedad2"

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {PAPER}; }}
QWidget {{ color: {INK}; }}
QListWidget#navigation {{
    background: {CARD}; border: none;
    padding: 8px 4px; outline: none;
}}
QListWidget#navigation::item {{ padding: 10px 14px; border-radius: 6px; margin: 2px 4px; }}
QListWidget#navigation::item:selected {{ background: {ACCENT_SOFT}; color: {ACCENT}; }}
QFrame#card {{ background: {CARD}; border: 1px solid {LINE}; border-radius: 8px; }}
QLabel#screenTitle {{ font-size: 17pt; font-weight: bold; color: {INK}; }}
QLabel#cardTitle {{ font-size: 12pt; font-weight: bold; color: {ACCENT}; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#fieldError {{ color: {ALERT}; }}
QLabel#alert {{ color: {ALERT}; }}
QPushButton {{
    padding: 6px 16px; border: 1px solid {LINE}; border-radius: 6px; background: {CARD};
}}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton:disabled {{ color: {MUTED}; background: {PAPER}; }}
QLineEdit, QComboBox, QPlainTextEdit {{
    padding: 5px 8px; border: 1px solid {LINE}; border-radius: 5px; background: {CARD};
}}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border-color: {ACCENT}; }}
QLineEdit[invalid="true"] {{ border-color: {ALERT}; }}
QTableView {{
    background: {CARD}; border: 1px solid {LINE}; border-radius: 6px;
    gridline-color: {LINE}; selection-background-color: {ACCENT_SOFT};
    selection-color: {INK};
}}
QHeaderView::section {{
    background: {PAPER}; border: none; border-bottom: 1px solid {LINE}; padding: 6px;
    font-weight: bold;
}}
QStatusBar {{ background: {CARD}; border-top: 1px solid {LINE}; }}
QStatusBar QLabel {{ padding: 0 10px; color: {MUTED}; }}
"""
