"""What the register accepts from a keyboard, and what it says when it refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services import validation
from app.services.errors import InputRejected

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("K123456", "K123456"), ("ab 123456", "AB123456"), (" bk-12345 ", "BK12345"), ("", None)],
)
def test_cin_is_normalised(typed: str, stored: str | None) -> None:
    assert validation.cin("cin", typed) == stored


@pytest.mark.parametrize("typed", ["123456", "ABC12345", "K1234567", "K", "K12A45"])
def test_bad_cin_names_the_field_and_the_value(typed: str) -> None:
    with pytest.raises(InputRejected) as caught:
        validation.cin("cin", typed)
    assert caught.value.errors[0].field == "cin"
    assert typed.strip() in caught.value.errors[0].message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0612345678", "0612345678"),
        ("06 12 34 56 78", "0612345678"),
        ("+212612345678", "0612345678"),
        ("+212 (0)6 12-34-56-78", "0612345678"),
        ("00212712345678", "0712345678"),
        ("612345678", "0612345678"),  # the leading zero a spreadsheet dropped
        ("0522123456", "0522123456"),
    ],
)
def test_moroccan_phones(typed: str, stored: str) -> None:
    assert validation.phone("phone", typed) == stored


@pytest.mark.parametrize("typed", ["0412345678", "061234567", "+33612345678", "phone"])
def test_bad_phones(typed: str) -> None:
    with pytest.raises(InputRejected):
        validation.phone("phone", typed)


def test_birth_date_rules() -> None:
    assert validation.birth_date("b", "2000-02-29", today=TODAY) == dt.date(2000, 2, 29)
    for bad in ("2027-01-01", "1900-01-01", "2001-02-29", "03/02/2001", ""):
        with pytest.raises(InputRejected):
            validation.birth_date("b", bad, today=TODAY)


def test_age_counts_birthdays() -> None:
    assert validation.age_on(dt.date(2000, 11, 23), TODAY) == 25
    assert validation.age_on(dt.date(2000, 11, 22), TODAY) == 26


def test_names_must_be_in_their_script() -> None:
    assert validation.name_ar("f", "  العلوي  ") == "العلوي"
    assert validation.name_latin("f", "el  idrissi") == "EL IDRISSI"
    with pytest.raises(InputRejected):
        validation.name_ar("f", "Alaoui")
    with pytest.raises(InputRejected):
        validation.name_latin("f", "العلوي")
    with pytest.raises(InputRejected):
        validation.name_ar("f", "")
