"""Folding of names for search: the spellings people type must find each other."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.text import fold, has_arabic, has_latin, words


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("احمد", "أحمد"),
        ("احمد", "إحمد"),
        ("امال", "آمال"),
        ("فاطمه", "فاطمة"),
        ("مصطفي", "مصطفى"),
        ("مُحَمَّد", "محمد"),
        ("عـــلي", "علي"),
        ("mohamed", "MOHAMED"),
        ("helene", "Hélène"),
        ("ﻓﺎﻃﻤﺔ", "فاطمة"),  # presentation forms, as pdftotext returns them
    ],
)
def test_spellings_fold_together(typed: str, stored: str) -> None:
    assert fold(typed) == fold(stored)


def test_different_names_stay_different() -> None:
    assert fold("فاطمة") != fold("فاطمي")
    assert fold("Amal") != fold("Amel")


def test_words_split_compound_names() -> None:
    assert words("Fatima-Zahra  EL IDRISSI") == ["fatima", "zahra", "el", "idrissi"]
    assert words("الإدريسي فاطمة الزهراء") == ["الادريسي", "فاطمه", "الزهراء"]
    assert words(None) == []


def test_script_detection() -> None:
    assert has_arabic("فاطمة") and not has_latin("فاطمة")
    assert has_latin("Fatima") and not has_arabic("Fatima")


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
