"""Cells as people write them, turned into what the register's checks expect.

A list typed by hand over years holds dates as 03/02/2001, 3-2-01, 2001-02-03, "3 février
2001", "18 يوليوز 2025" or an Excel serial number; Arabic-Indic digits; ID numbers with
spaces ("K 123 456"); phones that lost their zero or carry +212; sex as ذكر/أنثى, M/F or
H/F; labels in Arabic or French where the register stores codes; dashes and slashes in
cells left empty. Each function here gives the value the register's own checks
(``validation``, ``beneficiaries.clean``) then accept or refuse with their message.
Dates are read day first, as in Morocco; a date that does not exist is refused, never
guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from app.i18n import LANGUAGES, _, translations
from app.services import validation
from app.services.beneficiaries import BeneficiaryInput
from app.services.errors import FieldError, InputRejected
from app.services.imports.reading import listing
from app.services.text import fold
from app.vocabulary import LABELS, Area, Disability, EducationLevel, Labelled, MaritalStatus, Sex

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Direction marks, zero-width characters and the non-breaking space pasted in from the web.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_ONLY_PUNCTUATION = re.compile(r"^[\W_]*$")
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serial numbers of 1 January 1900 and 31 December 2199: a wider number is no date.
_SERIALS = range(2, 109939)
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_GROUP_SEPARATORS = re.compile(r"[،;؛]")

_MONTHS = {
    # French, with the usual abbreviations
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11,
    "nov": 11, "decembre": 12, "dec": 12,
    # Moroccan Arabic (what ar_MA prints), then the Middle-Eastern names people also type
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ماي": 5, "يونيو": 6, "يوليوز": 7,
    "غشت": 8, "شتنبر": 9, "أكتوبر": 10, "نونبر": 11, "دجنبر": 12, "مايو": 5, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "أغسطس": 8, "سبتمبر": 9, "نوفمبر": 11, "ديسمبر": 12,
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_MONTH_BY_KEY = {fold(name): number for name, number in _MONTHS.items()}

# Ways lists write the values the register stores as codes, besides the codes and the
# labels in every language.
_VALUE_ALIASES: dict[type[Labelled], dict[str, tuple[str, ...]]] = {
    Sex: {
        "F": ("أنثى", "انتى", "مؤنث", "بنت", "امرأة", "femme", "feminin", "fille", "female"),
        "M": ("ذكر", "ذ", "مذكر", "ولد", "رجل", "h", "homme", "masculin", "garcon", "male"),
    },
    Area: {
        "urban": ("حضري", "حضرية", "الحضري", "المجال الحضري", "urbain", "urbaine"),
        "rural": ("قروي", "قروية", "القروي", "المجال القروي", "rurale"),
    },
    MaritalStatus: {
        "single": ("عازب", "عازبة", "celibataire"),
        "married": ("متزوج", "متزوجة", "marie", "mariee"),
        "divorced": ("مطلق", "مطلقة", "divorce", "divorcee"),
        "widowed": ("أرمل", "أرملة", "veuf", "veuve"),
    },
    EducationLevel: {
        "none": ("بدون", "أمي", "أمية", "غير متمدرس", "غير متمدرسة", "aucun", "neant", "sans"),
        "primary": ("ابتدائي", "الابتدائي", "primaire"),
        "middle": ("إعدادي", "الإعدادي", "ثانوي إعدادي", "college", "collegial"),
        "secondary": ("ثانوي", "الثانوي", "ثانوي تأهيلي", "lycee", "secondaire", "bac"),
        "higher": ("جامعي", "عالي", "التعليم العالي", "superieur", "universitaire"),
    },
    Disability: {
        "motor": ("حركية", "إعاقة حركية", "moteur", "motrice", "handicap moteur"),
        "visual": ("بصرية", "إعاقة بصرية", "visuel", "visuelle"),
        "hearing": ("سمعية", "إعاقة سمعية", "auditif", "auditive"),
        "intellectual": ("ذهنية", "إعاقة ذهنية", "عقلية", "mental", "mentale", "intellectuel"),
        "autism": ("توحد", "التوحد", "autisme"),
        "multiple": ("متعددة", "إعاقة متعددة", "multiple", "polyhandicap"),
        "other": ("أخرى", "autre", "نعم", "oui", "yes"),
    },
}
# A disability cell saying "none": no disability, not a refusal.
_NO_DISABILITY = frozenset(
    fold(w) for w in ("لا", "لا توجد", "لا يوجد", "بدون", "non", "aucun", "aucune", "neant", "no")
)
_ENUM_FIELDS: dict[str, type[Labelled]] = {
    "area": Area,
    "marital_status": MaritalStatus,
    "education_level": EducationLevel,
    "disability": Disability,
}
_TEXT_FIELDS = (
    "family_name_ar",
    "given_name_ar",
    "family_name_latin",
    "given_name_latin",
    "address",
    "commune_code",
    "rsu_number",
    "guardian_name",
    "notes",
)
_tables: dict[type[Labelled], dict[str, str]] = {}


def shown(value: object) -> str:
    """A cell as the person sees it: numbers without a stray ".0", dates as YYYY-MM-DD,
    invisible marks and extra spaces gone."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat()
    else:
        text = str(value)
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def cell_text(value: object) -> str | None:
    """A cell's text (as :func:`shown`), or None for an empty cell or one holding only a
    dash or a slash (how lists mark "nothing")."""
    text = shown(value)
    if not text or _ONLY_PUNCTUATION.match(text):
        return None
    return text


def western_digits(text: str) -> str:
    return text.translate(_DIGITS)


# -- dates -------------------------------------------------------------------------------


def _not_a_date(field: str, text: str) -> InputRejected:
    return validation.reject(
        field,
        _("“{value}” is not a date: write it as day/month/year, e.g. 03/02/2001.").format(
            value=text
        ),
    )


def _from_serial(field: str, number: float, text: str) -> dt.date:
    if int(number) not in _SERIALS:
        raise _not_a_date(field, text)
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def _year(field: str, text: str, *, today: dt.date) -> int:
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        # 01 is 2001 up to this year, 1901 is too old: 65 is 1965, 20 is 2020.
        year = 2000 + int(text)
        return year if year <= today.year else year - 100
    raise _not_a_date(field, text)


def _make(field: str, year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _not_a_date(field, text) from None


def to_date(field: str, value: object, *, today: dt.date) -> dt.date | None:
    """A date from a cell: a date cell, an Excel serial, or text in the forms people
    write, day first; InputRejected (for ``field``) for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1900 <= value <= 2100:
            raise _only_a_year(field, str(int(value)))
        return _from_serial(field, value, str(value))
    text = cell_text(value)
    if text is None:
        return None
    plain = _TIME.sub("", western_digits(text)).strip()
    if re.fullmatch(r"\d{4}", plain) and 1900 <= int(plain) <= 2100:
        raise _only_a_year(field, text)
    if re.fullmatch(r"\d{5}(\.0+)?", plain):
        return _from_serial(field, float(plain), text)
    parts = [p for p in re.findall(r"\d+|[^\W\d_]+", plain) if fold(p) not in ("er", "le")]
    if len(parts) != 3:
        raise _not_a_date(field, text)
    first, middle, last = parts
    if middle.isdigit():
        if not (first.isdigit() and last.isdigit()):
            raise _not_a_date(field, text)
        if len(first) == 4:
            return _make(field, int(first), int(middle), int(last), text)
        return _make(field, _year(field, last, today=today), int(middle), int(first), text)
    month = _MONTH_BY_KEY.get(fold(middle).rstrip("."))
    if month is None or not (first.isdigit() and last.isdigit()):
        raise _not_a_date(field, text)
    return _make(field, _year(field, last, today=today), month, int(first), text)


def _only_a_year(field: str, text: str) -> InputRejected:
    return validation.reject(
        field,
        _("“{value}” is only a year: the whole date is needed (day/month/year).").format(
            value=text
        ),
    )


# -- codes -------------------------------------------------------------------------------


def _table(enum: type[Labelled]) -> dict[str, str]:
    """Folded ways of writing each member of ``enum`` → its code."""
    if enum not in _tables:
        table: dict[str, str] = {}
        for member in enum:
            names = [member.value, LABELS[member]]
            names += [translations(language).gettext(LABELS[member]) for language in LANGUAGES]
            names += _VALUE_ALIASES.get(enum, {}).get(member.value, ())
            for name in names:
                table.setdefault(fold(name), member.value)
        _tables[enum] = table
    return _tables[enum]


def to_code(field: str, value: object, enum: type[Labelled]) -> str | None:
    """The stored code of a label or code written in any language; InputRejected naming
    the choices otherwise."""
    text = cell_text(value)
    if text is None:
        return None
    key = fold(text).rstrip(".")
    if enum is Disability and key in _NO_DISABILITY:
        return None
    code = _table(enum).get(key)
    if code is not None:
        return code
    if enum is Sex:
        raise validation.reject(
            field, _("“{value}” is not a sex: write أنثى or ذكر (F or M).").format(value=text)
        )
    choices = listing(member.label for member in enum)
    raise validation.reject(
        field, _("“{value}” is not one of: {codes}.").format(value=text, codes=choices)
    )


def id_number(value: object) -> str | None:
    """An ID card number without the spaces, dots and dashes people put in it."""
    text = cell_text(value)
    if text is None:
        return None
    return re.sub(r"[\s.\-/_]", "", western_digits(text)).upper()


def phone_number(value: object) -> str | None:
    text = cell_text(value)
    return western_digits(text) if text is not None else None


def group_names(value: object) -> tuple[str, ...]:
    """The groups a cell names: one, or several separated by "،" or ";"."""
    text = cell_text(value)
    if text is None:
        return ()
    return tuple(name.strip() for name in _GROUP_SEPARATORS.split(text) if name.strip())


# -- a whole row -------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanRow:
    """A row's cells made ready for the register's checks, and what could not be."""

    data: BeneficiaryInput
    groups: tuple[str, ...]
    enrolment_date: dt.date | None
    errors: tuple[FieldError, ...]


def clean_row(cells: Mapping[str, object], *, today: dt.date) -> CleanRow:
    """``cells``: the raw cell of each mapped field."""
    values: dict[str, object] = {}
    errors: list[FieldError] = []

    def attempt(field: str, convert: object, *args: object, **kwargs: object) -> object:
        try:
            return convert(field, cells.get(field), *args, **kwargs)  # type: ignore[operator]
        except InputRejected as rejected:
            errors.extend(rejected.errors)
            return None

    for field in _TEXT_FIELDS:
        values[field] = cell_text(cells.get(field))
    values["sex"] = attempt("sex", to_code, Sex)
    for field, enum in _ENUM_FIELDS.items():
        values[field] = attempt(field, to_code, enum)
    for field in ("birth_date", "consent_date"):
        values[field] = attempt(field, to_date, today=today)
    enrolment_date = attempt("enrolment_date", to_date, today=today)
    for field in ("cin", "guardian_cin"):
        values[field] = id_number(cells.get(field))
    for field in ("phone", "guardian_phone"):
        values[field] = phone_number(cells.get(field))
    return CleanRow(
        data=BeneficiaryInput(**values),  # type: ignore[arg-type]
        groups=group_names(cells.get("group")),
        enrolment_date=enrolment_date,  # type: ignore[arg-type]
        errors=tuple(errors),
    )
