"""Checks and normalisation of what people type, in one place, with field-specific messages.

Each function takes the raw text and returns the stored form, or raises InputRejected
naming the field. Messages are translated at the moment they are raised, into the
language of the person who typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

from app.i18n import _
from app.services.errors import FieldError, InputRejected
from app.services.text import clean_spaces, has_arabic, has_latin
from app.vocabulary import Labelled

L = TypeVar("L", bound=Labelled)

CIN_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
_PHONE_DIGITS = re.compile(r"[\s.\-/()]")
OLDEST_AGE = 110
ADULT_AGE = 18


def reject(field: str, message: str) -> InputRejected:
    return InputRejected(FieldError(field, message))


class Checks:
    """Runs several field checks and gathers every refusal, so that a form can show each
    message next to its own field instead of one at a time."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.values: dict[str, Any] = {}

    def check(self, field: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(field, *args, **kwargs)``; its result is kept under ``field``."""
        try:
            self.values[field] = fn(field, *args, **kwargs)
        except InputRejected as rejected:
            self.errors.extend(rejected.errors)
            return None
        return self.values[field]

    def fail(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def done(self) -> dict[str, Any]:
        """The checked values; InputRejected naming every refused field if any was."""
        if self.errors:
            raise InputRejected(self.errors)
        return self.values


def name_ar(field: str, value: str | None, *, required: bool = True) -> str | None:
    text = clean_spaces(value)
    if not text:
        if required:
            raise reject(field, _("This name is required."))
        return None
    if len(text) > 100:
        raise reject(field, _("This name is too long (100 characters at most)."))
    if has_latin(text) or not has_arabic(text):
        raise reject(field, _("Write this name in Arabic letters."))
    return text


def name_latin(field: str, value: str | None) -> str | None:
    text = clean_spaces(value)
    if not text:
        return None
    if len(text) > 100:
        raise reject(field, _("This name is too long (100 characters at most)."))
    if has_arabic(text) or not has_latin(text):
        raise reject(field, _("Write this name in Latin letters, as on the ID card."))
    return text.upper()


def text(field: str, value: str | None, *, required: bool = False, limit: int = 200) -> str | None:
    cleaned = clean_spaces(value)
    if not cleaned:
        if required:
            raise reject(field, _("This field is required."))
        return None
    if len(cleaned) > limit:
        raise reject(
            field, _("This text is too long ({limit} characters at most).").format(limit=limit)
        )
    return cleaned


def cin(field: str, value: str | None) -> str | None:
    """National ID card number: one or two letters then digits (K123456, AB123456)."""
    if value is None or not value.strip():
        return None
    compact = re.sub(r"[\s\-]", "", value).upper()
    if not CIN_PATTERN.match(compact):
        raise reject(
            field,
            _(
                "“{value}” is not a national ID number: one or two letters then digits, "
                "e.g. K123456 or AB123456."
            ).format(value=value.strip()),
        )
    return compact


def phone(field: str, value: str | None) -> str | None:
    """A Moroccan phone number, stored as 10 digits: 06…, 07…, 05… or 08…."""
    if value is None or not value.strip():
        return None
    digits = _PHONE_DIGITS.sub("", value.strip())
    for prefix in ("+212", "00212", "212"):
        if digits.startswith(prefix):
            digits = "0" + digits[len(prefix) :].removeprefix("0")
            break
    else:
        if len(digits) == 9 and digits[0] in "5678":
            digits = "0" + digits  # the leading zero lost by a spreadsheet
    if not re.fullmatch(r"0[5-8][0-9]{8}", digits):
        raise reject(
            field,
            _("“{value}” is not a Moroccan phone number (06…, 07…, 05… or +212…).").format(
                value=value.strip()
            ),
        )
    return digits


def parse_date(field: str, value: str | dt.date | None, *, required: bool = True) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if value is None or not value.strip():
        if required:
            raise reject(field, _("This date is required."))
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise reject(
            field, _("“{value}” is not a date; write it as YYYY-MM-DD.").format(value=value)
        ) from None


def not_future(field: str, value: dt.date, *, today: dt.date) -> dt.date:
    if value > today:
        raise reject(field, _("This date is in the future."))
    return value


def birth_date(field: str, value: str | dt.date | None, *, today: dt.date) -> dt.date:
    date = parse_date(field, value)
    assert date is not None
    not_future(field, date, today=today)
    if age_on(date, today) > OLDEST_AGE:
        raise reject(
            field, _("This birth date is more than {years} years ago.").format(years=OLDEST_AGE)
        )
    return date


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def choice(field: str, value: str | None, enum: type[L], *, required: bool = True) -> L | None:
    """A member of ``enum`` from its code; a clear message listing the codes otherwise."""
    if value is None or not str(value).strip():
        if required:
            raise reject(field, _("This field is required."))
        return None
    try:
        return enum.parse(str(value))
    except ValueError:
        codes = ", ".join(m.value for m in enum)
        raise reject(
            field, _("“{value}” is not one of: {codes}.").format(value=value, codes=codes)
        ) from None


def code(
    field: str, value: str | None, enum: type[Labelled], *, required: bool = True
) -> str | None:
    """Like :func:`choice`, but the stored code (or None when left empty)."""
    member = choice(field, value, enum, required=required)
    return member.value if member is not None else None


def positive_int(field: str, value: str | int | None, *, limit: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise reject(field, _("“{value}” is not a whole number.").format(value=value)) from None
    if not 1 <= number <= limit:
        raise reject(field, _("Give a number from 1 to {limit}.").format(limit=limit))
    return number
