"""The printed documents' template and the certificates' issue rules: settings, not code.

The template is what the top and the foot of a document say and show: the issuer's
header lines in Arabic and in French (the kingdom, the ministry, Entraide Nationale, the
delegation), the place a document is written at ("حرر ب…"), the titles of the people who
sign, and an optional logo. The rules say when a certificate may be issued: an end of
training certificate only when the person attended at least a share of the sessions.

Every value has a default, so a new register prints correct documents before anyone
opens the settings. They are kept in this database's local settings (not synced): each
computer prints with its own printer and its own stamp, and the logo travels inside the
database, never as a path to a file that may move.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.i18n import N_, _, translations
from app.services import validation
from app.services.context import get_setting, put_setting, where
from app.services.errors import FieldError, InputRejected
from app.services.overview import list_provinces
from app.services.unit_of_work import UnitOfWork

KINGDOM = N_("Kingdom of Morocco")
MINISTRY = N_("Ministry of Solidarity, Social Inclusion and Family")
ENTRAIDE = N_("Entraide Nationale")
DELEGATION = N_("Provincial delegation of {province}")
DEFAULT_HEADER = (KINGDOM, MINISTRY, ENTRAIDE, DELEGATION)
COORDINATOR = N_("The centre's coordinator")
DELEGATE = N_("The provincial delegate of Entraide Nationale")
DEFAULT_SIGNATORIES = (COORDINATOR, DELEGATE)

# Placeholders a header line may hold, filled in when the document is drawn.
PROVINCE, CENTRE = "{province}", "{centre}"
HEADER_LINES, SIGNATORIES = 6, 3
LINE_LIMIT = 120
# The logo is kept small: it prints about 2 cm wide, and the settings hold it as text.
LOGO_PIXELS, LOGO_BYTES = 400, 2_000_000

FIELDS = (
    "header_ar",
    "header_fr",
    "signatories",
    "place_ar",
    "place_fr",
    "logo",
    "min_attendance",
)
_KEY = "documents.{field}"


@dataclass(frozen=True)
class Signatory:
    """The title printed over a signature block, in both languages."""

    title_ar: str
    title_fr: str

    def title(self, language: str) -> str:
        return self.title_fr if language == "fr" else self.title_ar


@dataclass(frozen=True)
class DocumentTemplate:
    """What every printed page says about its issuer, and who signs it."""

    header_ar: tuple[str, ...]
    header_fr: tuple[str, ...]
    signatories: tuple[Signatory, ...]
    place_ar: str
    place_fr: str
    #: The logo as PNG bytes, or None.
    logo_png: bytes | None
    #: Which of the fields above are still the defaults.
    defaults: tuple[str, ...]

    def header(self, language: str) -> tuple[str, ...]:
        return self.header_fr if language == "fr" else self.header_ar

    def place(self, language: str) -> str:
        return self.place_fr if language == "fr" else self.place_ar


@dataclass(frozen=True)
class CertificateRules:
    """When a certificate may be issued."""

    #: An end of training certificate needs at least this attendance rate (percent of
    #: the sessions marked for the person); None: no such rule.
    min_attendance: int | None


def _stored(uow: UnitOfWork, field: str) -> object:
    return get_setting(uow.session, _KEY.format(field=field))


def province_names(uow: UnitOfWork) -> tuple[str, str]:
    code = where(uow.session).centre.province_code
    unit = next((p for p in list_provinces(uow) if p.code == code), None)
    return (unit.name_ar, unit.name_fr) if unit else (code, code)


def document_template(uow: UnitOfWork) -> DocumentTemplate:
    """The template documents print with: the stored settings, defaults for the rest."""
    defaults: list[str] = []

    def lines(field: str, language: str) -> tuple[str, ...]:
        stored = _stored(uow, field)
        if isinstance(stored, list) and stored:
            return tuple(str(line) for line in stored)
        defaults.append(field)
        t = translations(language).gettext
        return tuple(t(line) for line in DEFAULT_HEADER)

    header_ar, header_fr = lines("header_ar", "ar"), lines("header_fr", "fr")
    stored = _stored(uow, "signatories")
    if isinstance(stored, list) and stored:
        signatories = tuple(Signatory(str(s["ar"]), str(s["fr"])) for s in stored)
    else:
        defaults.append("signatories")
        ar, fr = translations("ar").gettext, translations("fr").gettext
        signatories = tuple(Signatory(ar(title), fr(title)) for title in DEFAULT_SIGNATORIES)
    province_ar, province_fr = province_names(uow)
    places = []
    for field, fallback in (("place_ar", province_ar), ("place_fr", province_fr)):
        value = _stored(uow, field)
        if not value:
            defaults.append(field)
        places.append(str(value) if value else fallback)
    logo = _stored(uow, "logo")
    if not logo:
        defaults.append("logo")
    return DocumentTemplate(
        header_ar=header_ar,
        header_fr=header_fr,
        signatories=signatories,
        place_ar=places[0],
        place_fr=places[1],
        logo_png=base64.b64decode(str(logo)) if logo else None,
        defaults=tuple(defaults),
    )


def certificate_rules(uow: UnitOfWork) -> CertificateRules:
    value = _stored(uow, "min_attendance")
    return CertificateRules(min_attendance=int(value) if isinstance(value, int) else None)


# -- changing them -----------------------------------------------------------------------


def _lines(field: str, values: Sequence[str]) -> list[str]:
    lines = [validation.text(field, v, limit=LINE_LIMIT) for v in values]
    kept = [line for line in lines if line]
    if not kept or len(kept) > HEADER_LINES:
        raise validation.reject(
            field, _("Give from 1 to {count} header lines.").format(count=HEADER_LINES)
        )
    return kept


def _signatories(field: str, values: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    if not values or len(values) > SIGNATORIES:
        raise validation.reject(
            field, _("Give from 1 to {count} signatories.").format(count=SIGNATORIES)
        )
    titles = []
    for title_ar, title_fr in values:
        ar = validation.text(field, title_ar, required=True, limit=LINE_LIMIT)
        fr = validation.text(field, title_fr, required=True, limit=LINE_LIMIT)
        titles.append({"ar": ar or "", "fr": fr or ""})
    return titles


def _logo(field: str, value: str) -> str:
    """The image at path ``value``, made a small PNG, as base64 text."""
    from PIL import Image, UnidentifiedImageError

    path = Path(value).expanduser()
    if not path.is_file():
        raise validation.reject(field, _("There is no file {path}.").format(path=path))
    if path.stat().st_size > 5 * LOGO_BYTES:
        raise validation.reject(field, _("This image is too large (10 MB at most)."))
    try:
        with Image.open(path) as image:
            image.load()
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError):
        raise validation.reject(
            field, _("{path} is not an image (PNG or JPEG).").format(path=path)
        ) from None
    picture.thumbnail((LOGO_PIXELS, LOGO_PIXELS))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _min_attendance(field: str, value: str | int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise validation.reject(
            field, _("“{value}” is not a whole number.").format(value=value)
        ) from None
    if not 0 <= number <= 100:
        raise validation.reject(field, _("Give a percentage from 0 to 100."))
    return number


def change_documents(
    uow: UnitOfWork,
    *,
    header_ar: Sequence[str] | None = None,
    header_fr: Sequence[str] | None = None,
    signatories: Sequence[tuple[str, str]] | None = None,
    place_ar: str | None = None,
    place_fr: str | None = None,
    logo: str | None = None,
    min_attendance: str | int | None = None,
    reset: Sequence[str] = (),
) -> DocumentTemplate:
    """Change the settings given (None: unchanged), and put back the defaults of the
    fields named in ``reset``; all or nothing."""
    checks = validation.Checks()
    unknown = [field for field in reset if field not in FIELDS]
    if unknown:
        checks.fail(
            "reset",
            _("“{value}” is not one of: {codes}.").format(
                value=", ".join(unknown), codes=", ".join(FIELDS)
            ),
        )
    if header_ar is not None:
        checks.check("header_ar", _lines, header_ar)
    if header_fr is not None:
        checks.check("header_fr", _lines, header_fr)
    if signatories is not None:
        checks.check("signatories", _signatories, signatories)
    if place_ar is not None:
        checks.check("place_ar", validation.text, place_ar, required=True, limit=100)
    if place_fr is not None:
        checks.check("place_fr", validation.text, place_fr, required=True, limit=100)
    if logo is not None:
        checks.check("logo", _logo, logo)
    if min_attendance is not None:
        checks.check("min_attendance", _min_attendance, min_attendance)
    values = checks.done()
    both = set(values) & set(reset)
    if both:
        raise InputRejected(
            [FieldError(field, _("Change this setting or reset it, not both.")) for field in both]
        )
    for field, value in values.items():
        put_setting(uow.session, _KEY.format(field=field), value)
    for field in reset:
        put_setting(uow.session, _KEY.format(field=field), None)
    uow.session.flush()
    return document_template(uow)
