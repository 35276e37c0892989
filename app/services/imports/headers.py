"""Which column holds what: the header row of a list, and the mapping of its columns.

A list made by hand has a title or two above its header, sometimes a header on two rows
(a merged "الاسم" over "العائلي" and "الشخصي"), and names its columns in Arabic, French
or English, each in several ways ("الاسم العائلي", "النسب", "Nom", "family_name"). The
header row is the one among the first rows in which most cells are known column names;
known names are compared folded (hamza, ta marbuta, accents, case and punctuation do not
matter). Where a header says only "name" ("Nom", "الاسم"), the column's own cells decide
between the Arabic and the Latin spelling.

The mapping is one field (or nothing) per column. The person may correct it; the
corrected mapping is kept as a local setting under the signature of the headers, and the
next file with the same headers starts from it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.i18n import LANGUAGES, N_, _, translations
from app.services.context import get_setting, put_setting
from app.services.errors import FieldError, InputRejected
from app.services.imports.cleaning import cell_text
from app.services.imports.reading import SourceRow, Table, listing
from app.services.text import fold, has_arabic, has_latin
from app.services.unit_of_work import UnitOfWork

HEADER_SCAN = 15
SETTING_PREFIX = "import.mapping."
IGNORE = "-"


@dataclass(frozen=True)
class ImportField:
    """A value an import can take from a column: its key, its label and its aliases."""

    key: str
    label: str  # an English msgid, also the label of the beneficiary form
    aliases: tuple[str, ...] = ()
    required: bool = False


# Keys of the beneficiary's fields are those of BeneficiaryInput; "group" and
# "enrolment_date" enrol the person. Aliases are the ways lists really name the columns;
# the labels, in every language, are recognised too (an exported list comes back in).
FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "family_name_ar",
        N_("Family name (Arabic)"),
        ("الاسم العائلي", "النسب", "اسم العائلة", "الاسم العائلي بالعربية", "النسب بالعربية"),
        required=True,
    ),
    ImportField(
        "given_name_ar",
        N_("Given name (Arabic)"),
        ("الاسم الشخصي", "الاسم الشخصي بالعربية", "الاسم بالعربية"),
        required=True,
    ),
    ImportField(
        "family_name_latin",
        N_("Family name (as on the ID card)"),
        (
            "الاسم العائلي بالفرنسية",
            "النسب بالفرنسية",
            "nom en francais",
            "nom latin",
            "nom en latin",
            "family name latin",
        ),
    ),
    ImportField(
        "given_name_latin",
        N_("Given name (as on the ID card)"),
        (
            "الاسم الشخصي بالفرنسية",
            "الاسم بالفرنسية",
            "prenom en francais",
            "prenom latin",
            "prenom en latin",
            "given name latin",
        ),
    ),
    ImportField("sex", N_("Sex"), ("الجنس", "النوع", "sexe", "genre", "gender"), required=True),
    ImportField(
        "birth_date",
        N_("Birth date"),
        (
            "تاريخ الازدياد",
            "تاريخ الميلاد",
            "تاريخ الولادة",
            "date de naissance",
            "date naissance",
            "ne le",
            "nee le",
            "ne e le",
            "ddn",
            "date of birth",
            "dob",
            "birthdate",
        ),
        required=True,
    ),
    ImportField(
        "cin",
        N_("ID card number"),
        (
            "رقم البطاقة الوطنية",
            "البطاقة الوطنية",
            "رقم بطاقة التعريف الوطنية",
            "بطاقة التعريف الوطنية",
            "ب ت و",
            "رقم ب ت و",
            "cin",
            "n cin",
            "no cin",
            "num cin",
            "numero cin",
            "c i n",
            "cni",
            "national id",
            "id card",
        ),
    ),
    ImportField(
        "phone",
        N_("Phone"),
        (
            "الهاتف",
            "رقم الهاتف",
            "الهاتف المحمول",
            "رقم الهاتف المحمول",
            "tel",
            "n tel",
            "telephone",
            "numero de telephone",
            "gsm",
            "portable",
            "mobile",
        ),
    ),
    ImportField("address", N_("Address"), ("العنوان", "عنوان السكن", "adresse", "address")),
    ImportField(
        "commune_code",
        N_("Commune code"),
        ("رمز الجماعة", "code commune", "code de la commune"),
    ),
    ImportField(
        "area",
        N_("Area"),
        ("الوسط", "وسط الإقامة", "الوسط حضري قروي", "milieu", "milieu de residence"),
    ),
    ImportField(
        "marital_status",
        N_("Marital status"),
        ("الحالة العائلية", "الحالة الاجتماعية", "situation familiale", "etat civil"),
    ),
    ImportField(
        "education_level",
        N_("Education level"),
        (
            "المستوى الدراسي",
            "المستوى التعليمي",
            "niveau scolaire",
            "niveau d instruction",
            "niveau d etudes",
        ),
    ),
    ImportField(
        "disability",
        N_("Disability"),
        ("الإعاقة", "نوع الإعاقة", "handicap", "type de handicap", "type d handicap"),
    ),
    ImportField(
        "rsu_number",
        N_("Social registry (RSU) number"),
        (
            "رقم السجل الاجتماعي الموحد",
            "السجل الاجتماعي الموحد",
            "rsu",
            "n rsu",
            "numero rsu",
            "identifiant rsu",
        ),
    ),
    ImportField(
        "guardian_name",
        N_("Guardian's name"),
        ("اسم ولي الأمر", "ولي الأمر", "الولي", "nom du tuteur", "tuteur", "guardian"),
    ),
    ImportField(
        "guardian_cin",
        N_("Guardian's ID card number"),
        ("رقم بطاقة ولي الأمر", "ب ت و ولي الأمر", "cin du tuteur", "cin tuteur", "guardian cin"),
    ),
    ImportField(
        "guardian_phone",
        N_("Guardian's phone"),
        ("هاتف ولي الأمر", "tel du tuteur", "tel tuteur", "telephone du tuteur", "guardian phone"),
    ),
    ImportField(
        "consent_date",
        N_("Date of consent to data processing"),
        ("تاريخ الموافقة", "date du consentement", "consent date"),
    ),
    ImportField(
        "notes", N_("Notes"), ("ملاحظات", "ملاحظة", "observations", "observation", "remarques")
    ),
    ImportField(
        "group",
        N_("Group"),
        ("الفوج", "القسم", "المجموعة", "اسم الفوج", "groupe", "classe"),
    ),
    ImportField(
        "enrolment_date",
        N_("Enrolment date"),
        (
            "تاريخ التسجيل",
            "تاريخ الالتحاق",
            "date d inscription",
            "date inscription",
            "enrollment date",
        ),
    ),
)
BY_KEY = {f.key: f for f in FIELDS}
REQUIRED = tuple(f.key for f in FIELDS if f.required)

# Headers that say "family name" or "given name" without a script: the cells decide.
_FAMILY, _GIVEN = "family_name", "given_name"
_UNSCRIPTED = {
    _FAMILY: ("nom", "nom de famille", "family name", "surname", "last name"),
    _GIVEN: ("الاسم", "prenom", "prenoms", "given name", "first name"),
}
# Columns lists often have that hold nothing to import: known, so they count as header
# cells, and left out of the mapping.
_KNOWN_UNUSED = (
    "ر ت",
    "الرقم",
    "الرقم الترتيبي",
    "رقم الترتيب",
    "ع ر",
    "n",
    "no",
    "num",
    "numero",
    "n d ordre",
    "التوقيع",
    "الإمضاء",
    "signature",
    "emargement",
    "الجماعة",
    "commune",
    "مكان الازدياد",
    "lieu de naissance",
    "العمر",
    "السن",
    "age",
)
# A whole name in one column: recognised, to say what to do with it.
_WHOLE_NAME = (
    "الاسم الكامل",
    "الاسم و النسب",
    "الاسم والنسب",
    "النسب و الاسم",
    "النسب والاسم",
    "الاسم العائلي و الشخصي",
    "nom et prenom",
    "nom prenom",
    "nom complet",
    "full name",
)
WHOLE_NAME = "*whole_name"
UNUSED = "*unused"


def header_key(text: object) -> str:
    """A header as it is compared: folded, its punctuation and extra spaces gone."""
    return " ".join(re.findall(r"[^\W_]+", fold(str(text))))


def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(text: str, key: str) -> None:
        table.setdefault(header_key(text), key)

    for field in FIELDS:
        add(field.key, field.key)
        for alias in field.aliases:
            add(alias, field.key)
    for key, aliases in _UNSCRIPTED.items():
        for alias in aliases:
            add(alias, key)
    for alias in _WHOLE_NAME:
        add(alias, WHOLE_NAME)
    for alias in _KNOWN_UNUSED:
        add(alias, UNUSED)
    # The labels in every language come last: a list's own words win over them.
    for field in FIELDS:
        add(field.label, field.key)
        for language in LANGUAGES:
            add(translations(language).gettext(field.label), field.key)
    return table


_ALIASES: dict[str, str] | None = None


def recognise(header: object) -> str | None:
    """What a header names: a field key, a script-less name, a known unused column, or
    None for a header nobody wrote in the table."""
    global _ALIASES
    if _ALIASES is None:
        _ALIASES = _alias_table()
    return _ALIASES.get(header_key(header)) if header is not None else None


@dataclass(frozen=True)
class Column:
    """One column of the list as the person sees it."""

    index: int
    letter: str
    header: str
    samples: tuple[str, ...]
    #: What the header was recognised as (None: not recognised).
    recognised: str | None

    @property
    def whole_name(self) -> bool:
        return self.recognised == WHOLE_NAME

    def title(self) -> str:
        """How a message names the column: its letter and its header."""
        return f"{self.letter} — {self.header}" if self.header else self.letter


@dataclass(frozen=True)
class Layout:
    """Where a list's header is, its columns, and the mapping proposed for them."""

    header_rows: tuple[int, ...]  # the row numbers of the header (one or two)
    data_start: int  # index in Table.rows of the first row of people
    columns: tuple[Column, ...]
    signature: str
    #: One field key (or None: not imported) per column.
    mapping: tuple[str | None, ...]
    #: The mapping comes from a file of the same headers imported before.
    remembered: bool = False


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the letters a spreadsheet shows above a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _header_texts(rows: Sequence[SourceRow], width: int) -> list[str]:
    """One header text per column from one row, or two rows read together (a merged cell
    above the cells it spans)."""
    if len(rows) == 1:
        return [_text(v) for v in rows[0].values] + [""] * (width - len(rows[0].values))
    top, bottom = (_header_texts([r], width) for r in rows)
    texts = []
    for upper, lower in zip(top, bottom, strict=True):
        together = f"{upper} {lower}".strip() if upper != lower else upper
        # The pair when it names something ("الاسم" over "العائلي"), else the lower cell
        # (a section title above real headers), else the upper (a header merged down).
        for candidate in (together, lower, upper):
            if recognise(candidate) is not None:
                texts.append(candidate)
                break
        else:
            texts.append(lower or upper)
    return texts


def _score(texts: Sequence[str]) -> int:
    return len({recognise(t) for t in texts if t} - {None})


def _script_of(samples: Sequence[str]) -> str:
    arabic = sum(1 for s in samples if has_arabic(s))
    latin = sum(1 for s in samples if has_latin(s) and not has_arabic(s))
    return "latin" if latin > arabic else "ar"


def _samples(table: Table, start: int, index: int, *, count: int) -> tuple[str, ...]:
    found: list[str] = []
    for row in table.rows[start:]:
        text = cell_text(row.values[index]) if index < len(row.values) else None
        if text:
            found.append(text)
            if len(found) == count:
                break
    return tuple(found)


def guess_mapping(columns: Sequence[Column], samples: Sequence[Sequence[str]]) -> list[str | None]:
    """The field of each column from its header (and, for a bare "name", its cells); a
    field claimed by two columns goes to the first."""
    mapping: list[str | None] = []
    taken: set[str] = set()
    for column, cells in zip(columns, samples, strict=True):
        key = column.recognised
        if key in (_FAMILY, _GIVEN):
            script = _script_of(cells)
            other = "latin" if script == "ar" else "ar"
            # "Nom" beside "النسب": the script the other column left.
            key = f"{key}_{script}" if f"{key}_{script}" not in taken else f"{key}_{other}"
        if key not in BY_KEY or key in taken:
            mapping.append(None)
            continue
        taken.add(key)
        mapping.append(key)
    return mapping


def detect_layout(table: Table) -> Layout:
    """Find the header among the first rows and propose a mapping; InputRejected when no
    row looks like a header."""
    best: tuple[int, int, int] | None = None  # (score, -rows, -index)
    candidates = table.rows[:HEADER_SCAN]
    for index in range(len(candidates)):
        for span in (1, 2):
            if index + span > len(candidates):
                continue
            score = _score(_header_texts(candidates[index : index + span], table.width))
            key = (score, -span, -index)
            if best is None or key > best:
                best = key
    if best is None or best[0] < 2:
        raise InputRejected(
            FieldError(
                "file",
                _(
                    "No header row was found in the first rows of {name}: the columns need "
                    "names such as الاسم العائلي, الاسم الشخصي, الجنس, تاريخ الازدياد (or "
                    "Nom, Prénom, Sexe, Date de naissance)."
                ).format(name=table.path.name),
            )
        )
    span, index = -best[1], -best[2]
    header_rows = table.rows[index : index + span]
    texts = _header_texts(header_rows, table.width)
    start = index + span
    samples = [_samples(table, start, i, count=20) for i in range(table.width)]
    columns = tuple(
        Column(i, column_letter(i), texts[i], tuple(samples[i][:3]), recognise(texts[i]))
        for i in range(table.width)
    )
    signature = hashlib.sha1(
        "\x1f".join(header_key(t) for t in texts).encode("utf-8"), usedforsecurity=False
    ).hexdigest()[:32]
    return Layout(
        header_rows=tuple(r.number for r in header_rows),
        data_start=start,
        columns=columns,
        signature=signature,
        mapping=tuple(guess_mapping(columns, samples)),
    )


# -- remembering and correcting ----------------------------------------------------------


def with_remembered(uow: UnitOfWork, layout: Layout) -> Layout:
    """``layout`` with the mapping last confirmed for the same headers, if there is one."""
    saved = get_setting(uow.session, SETTING_PREFIX + layout.signature)
    if not isinstance(saved, list) or len(saved) != len(layout.columns):
        return layout
    mapping = tuple(key if key in BY_KEY else None for key in saved)
    return Layout(
        header_rows=layout.header_rows,
        data_start=layout.data_start,
        columns=layout.columns,
        signature=layout.signature,
        mapping=mapping,
        remembered=True,
    )


def remember(uow: UnitOfWork, layout: Layout, mapping: Sequence[str | None]) -> None:
    """Keep ``mapping`` for the next file with the same headers (a local setting)."""
    put_setting(uow.session, SETTING_PREFIX + layout.signature, list(mapping))


def field_label(key: str) -> str:
    return _(BY_KEY[key].label)


def check_mapping(layout: Layout, mapping: Sequence[str | None]) -> None:
    """InputRejected unless every required field has a column and no field has two."""
    errors: list[FieldError] = []
    missing = [key for key in REQUIRED if key not in mapping]
    if missing:
        message = _("No column is chosen for: {fields}.").format(
            fields=listing(field_label(k) for k in missing)
        )
        whole = [c for c in layout.columns if c.whole_name]
        if whole and ({"family_name_ar", "given_name_ar"} & set(missing)):
            message += " " + _(
                "The column “{column}” holds whole names: put the family name and the given "
                "name in two columns of their own."
            ).format(column=whole[0].title())
        errors.append(FieldError("mapping", message))
    for key in dict.fromkeys(k for k in mapping if k is not None):
        twice = [c.letter for c, k in zip(layout.columns, mapping, strict=True) if k == key]
        if len(twice) > 1:
            errors.append(
                FieldError(
                    "mapping",
                    _("Columns {columns} are all chosen for {field}: choose one.").format(
                        columns=listing(twice), field=field_label(key)
                    ),
                )
            )
    if errors:
        raise InputRejected(errors)


def parse_mapping(text: str, layout: Layout) -> tuple[str | None, ...]:
    """The mapping a command line gives, starting from the one proposed: ``COLUMN=FIELD``
    pairs separated by commas (or a JSON file holding such pairs), where COLUMN is a
    letter (C) or a header as written, and FIELD a field key or "-" to leave it out."""
    path = Path(text).expanduser()
    pairs: Mapping[str, object]
    if text.strip().endswith(".json") or path.is_file():
        try:
            pairs = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InputRejected(
                FieldError(
                    "mapping",
                    _("The mapping file {name} cannot be read: {reason}").format(
                        name=path.name, reason=error
                    ),
                )
            ) from None
        if not isinstance(pairs, dict):
            raise InputRejected(
                FieldError("mapping", _("The mapping file must hold COLUMN: FIELD pairs."))
            )
    else:
        pairs = {}
        for part in text.split(","):
            if not part.strip():
                continue
            column, sep, field = part.partition("=")
            if not sep:
                raise InputRejected(
                    FieldError(
                        "mapping",
                        _("“{part}” is not COLUMN=FIELD (for example C=cin).").format(
                            part=part.strip()
                        ),
                    )
                )
            pairs[column.strip()] = field.strip()
    mapping = list(layout.mapping)
    errors: list[FieldError] = []
    for column_ref, field in pairs.items():
        column = _find_column(layout, column_ref)
        key = str(field).strip()
        if column is None:
            errors.append(
                FieldError(
                    "mapping",
                    _("The list has no column “{column}”.").format(column=column_ref),
                )
            )
        elif key in ("", IGNORE):
            mapping[column.index] = None
        elif key not in BY_KEY:
            errors.append(
                FieldError(
                    "mapping",
                    _("“{field}” is not a field; the fields: {fields}.").format(
                        field=key, fields=", ".join(BY_KEY)
                    ),
                )
            )
        else:
            # A field moved to this column leaves the column that had it.
            mapping = [None if k == key else k for k in mapping]
            mapping[column.index] = key
    if errors:
        raise InputRejected(errors)
    return tuple(mapping)


def _find_column(layout: Layout, ref: str) -> Column | None:
    ref = ref.strip()
    for column in layout.columns:
        if ref.upper() == column.letter:
            return column
    wanted = header_key(ref)
    for column in layout.columns:
        if wanted and header_key(column.header) == wanted:
            return column
    return None
