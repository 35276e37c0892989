"""Certificates (شهادات): issued with a serial, signed, reprinted as duplicates, verified.

Three kinds: end of training (a completed enrolment: programme, season, hours followed,
mention), attendance or enrolment (an enrolment, active or not: hours followed so far),
participation in an event (a participant, speaker or organiser, beneficiary or guest).

Serial numbers. A centre may run on two laptops that meet only through sync bundles, so
no counter is shared. A serial is ``YEAR-TAG-NNNN``: the year of issue, a five-letter tag
derived from this replica's site id, and a counter of this replica for that year (the
highest number it has used, read from its own rows, plus one). Two laptops have different
site ids, so different tags, and never make the same serial; a copied or restored
database takes a new site id (app/services/register.py), so a restore that lost the last
certificates starts a fresh tag instead of handing their numbers out again. The tag is 25
bits of a hash: two laptops of one centre share one by a chance of one in 33 million.
Serials are never reused: every row counts, deleted ones too, and a certificate printed
again for the same enrolment (or event participant) and kind is the same row, its
serial, its signed text, with "duplicate" on the page.

The QR code carries a short text signed with the centre's Ed25519 key:
``SJ1|centre|serial|kind|date|name|subject|detail|hours|mention|key id|signature``
(subject: the programme's code, or the event's date; detail: the season, or the role).
The delegation, which trusts the centre's identity (app/services/keys.py), checks it
offline and reads back what was certified; a changed byte, a key it does not trust or a
revoked key is refused with the reason.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.i18n import _, current_language
from app.models import (
    Attendance,
    Beneficiary,
    Centre,
    Certificate,
    Enrolment,
    EventParticipant,
    Group,
    Programme,
    Season,
    Session,
)
from app.models.ids import natural_id
from app.services import keys, validation
from app.services.context import (
    Where,
    by_id_or_prefix,
    one_match,
    resolve_beneficiary,
    season_bounds,
    season_id,
    where,
)
from app.services.document_settings import (
    CertificateRules,
    certificate_rules,
    document_template,
)
from app.services.errors import FieldError, InputRejected
from app.services.events import resolve_event
from app.services.keys import UnlockedKeys
from app.services.sessions import HELD, group_calendar
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import AttendanceStatus, CertificateKind, EnrolmentStatus

PAYLOAD_FORMAT = "SJ1"
# Signatures of certificates cannot be replayed as signatures of anything else the key
# signs (bundles, identity files), and the other way round.
SIGNING_CONTEXT = b"sijill-certificate\n"
KIND_CODES = {
    CertificateKind.COMPLETION.value: "C",
    CertificateKind.ATTENDANCE.value: "A",
    CertificateKind.PARTICIPATION.value: "P",
}
_KINDS_BY_CODE = {code: kind for kind, code in KIND_CODES.items()}
_FIELDS = 12
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TAG_LENGTH = 5
_ATTENDED = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)


@dataclass(frozen=True)
class CertificateDocument:
    """One certificate as the page shows it: what was certified (as signed) and the
    people, programme or event it names (as the register knows them now)."""

    id: uuid.UUID
    serial: str
    kind: str
    issued_on: dt.date
    place_ar: str
    place_fr: str
    duplicate: bool
    payload: str
    centre_code: str
    centre_name_ar: str
    centre_name_fr: str | None
    holder_name: str
    holder_name_latin: str | None
    #: "F" or "M"; None for a guest, whose sex the register does not know.
    sex: str | None
    birth_date: dt.date | None
    cin: str | None
    hours: int | None
    mention: str | None
    programme_name_ar: str | None = None
    programme_name_fr: str | None = None
    group_name: str | None = None
    season_label: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    event_title_ar: str | None = None
    event_title_fr: str | None = None
    event_kind: str | None = None
    event_date: dt.date | None = None
    event_place: str | None = None
    role: str | None = None
    organisation: str | None = None


@dataclass(frozen=True)
class Skipped:
    """Someone a batch left out, and why (in the user's language)."""

    name: str
    reason: str


@dataclass(frozen=True)
class IssuedCertificates:
    documents: tuple[CertificateDocument, ...]
    skipped: tuple[Skipped, ...]

    @property
    def new(self) -> int:
        return sum(1 for d in self.documents if not d.duplicate)


@dataclass(frozen=True)
class CertificateRecord:
    """A certificate in the register's list."""

    id: uuid.UUID
    serial: str
    kind: str
    issued_on: dt.date
    holder_name: str | None
    hours: int | None
    mention: str | None
    print_count: int


@dataclass(frozen=True)
class VerifiedCertificate:
    """What a genuine certificate certifies, read back from its QR code."""

    serial: str
    kind: str
    centre_code: str
    #: The name of the centre as its trusted identity gives it.
    centre_name: str
    issued_on: dt.date
    holder_name: str
    #: The programme's code, or the event's date (ISO).
    subject: str
    #: The programme's name in the user's language, when this register knows the code.
    subject_name: str | None
    #: The season, or the role at the event.
    detail: str
    hours: int | None
    mention: str | None
    key_id: str
    fingerprint: str


class CertificateRefused(InputRejected):
    """A certificate code that is not genuine, or that this register cannot vouch for."""

    def __init__(self, message: str) -> None:
        super().__init__(FieldError("certificate", message))


# -- serial numbers ----------------------------------------------------------------------


def site_tag(site_id: str) -> str:
    """The five letters (Crockford base 32: no I, L, O, U) a replica's serials carry."""
    number = int.from_bytes(hashlib.blake2b(site_id.encode(), digest_size=8).digest(), "big")
    return "".join(_CROCKFORD[(number >> (5 * i)) & 31] for i in range(TAG_LENGTH))


class _Serials:
    """The next serials of this replica for one year, read once per batch."""

    def __init__(self, uow: UnitOfWork, *, centre_id: uuid.UUID, year: int) -> None:
        self.prefix = f"{year}-{site_tag(uow.register.site_id)}-"
        used = uow.session.scalars(
            select(Certificate.serial).where(
                Certificate.centre_id == centre_id, Certificate.serial.like(f"{self.prefix}%")
            )
        )
        numbers = (s[len(self.prefix) :] for s in used)
        self.last = max((int(n) for n in numbers if n.isdigit()), default=0)

    def next(self) -> str:
        self.last += 1
        return f"{self.prefix}{self.last:04d}"


# -- the signed text -----------------------------------------------------------------------


def _field(text: str | None) -> str:
    """A free text (a name, a mention) made safe between the separators."""
    return " ".join((text or "").replace("|", "/").split())


def _message(fields: list[str]) -> bytes:
    return SIGNING_CONTEXT + "|".join(fields).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def signed_payload(
    signer: UnlockedKeys,
    *,
    centre_code: str,
    serial: str,
    kind: str,
    issued_on: dt.date,
    holder_name: str,
    subject: str,
    detail: str,
    hours: int | None,
    mention: str | None,
) -> str:
    """The QR code's text: what is certified, the key's id, the signature."""
    fields = [
        PAYLOAD_FORMAT,
        centre_code,
        serial,
        KIND_CODES[kind],
        issued_on.strftime("%Y%m%d"),
        _field(holder_name),
        _field(subject),
        _field(detail),
        "" if hours is None else str(hours),
        _field(mention),
        signer.identity.key_id,
    ]
    return "|".join([*fields, _b64(signer.sign(_message(fields)))])


def verify_payload(uow: UnitOfWork, payload: str) -> VerifiedCertificate:
    """What a certificate's QR code certifies, once its signature has been checked
    against the key of the centre it names; CertificateRefused with the reason
    otherwise."""
    fields = payload.strip().split("|")
    if len(fields) < 2 or not fields[0].startswith("SJ"):
        raise CertificateRefused(_("This is not the code of a Sijill certificate."))
    if fields[0] != PAYLOAD_FORMAT:
        raise CertificateRefused(_("This certificate needs a newer Sijill to be checked."))
    if len(fields) != _FIELDS:
        raise CertificateRefused(
            _("This certificate code is incomplete or damaged: scan it again.")
        )
    centre_code, serial, kind_code, issued, name, subject, detail, hours, mention, key_id, sig = (
        fields[1:]
    )
    try:
        issued_on = dt.datetime.strptime(issued, "%Y%m%d").date()
        signature = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
        kind = _KINDS_BY_CODE[kind_code]
        hours_value = int(hours) if hours else None
    except (ValueError, KeyError, binascii.Error):
        raise CertificateRefused(
            _("This certificate code is incomplete or damaged: scan it again.")
        ) from None
    known = keys.known_identity(uow, key_id)
    if known is None:
        raise CertificateRefused(
            _(
                "This certificate was signed with a key this register does not trust "
                "(key {key}): trust the identity of centre {centre} first, after comparing "
                "its fingerprint."
            ).format(key=key_id[:12], centre=centre_code)
        )
    identity = known.identity
    if known.revoked:
        raise CertificateRefused(
            _(
                "The key that signed this certificate ({name}) was revoked: what it signs "
                "can no longer be trusted. Ask the centre for a new certificate."
            ).format(name=identity.name)
        )
    if identity.role != "centre" or identity.code != centre_code:
        raise CertificateRefused(
            _(
                "This certificate names centre {centre} but was signed with the key of "
                "{signer}: it is not genuine."
            ).format(centre=centre_code, signer=f"{identity.name} ({identity.code})")
        )
    if not keys.verify(identity, _message(fields[:-1]), signature):
        raise CertificateRefused(
            _(
                "The signature does not match the certificate's content: it was changed "
                "after signing, or it was not signed by its centre. It is not genuine."
            )
        )
    programme = (
        uow.session.scalars(
            select(Programme).where(Programme.code == subject, Programme.cl % 2 == 1)
        ).first()
        if kind != CertificateKind.PARTICIPATION.value
        else None
    )
    return VerifiedCertificate(
        serial=serial,
        kind=kind,
        centre_code=centre_code,
        centre_name=identity.name,
        issued_on=issued_on,
        holder_name=name,
        subject=subject,
        subject_name=(
            (programme.name_fr if current_language() == "fr" else programme.name_ar)
            if programme is not None
            else None
        ),
        detail=detail,
        hours=hours_value,
        mention=mention or None,
        key_id=key_id,
        fingerprint=identity.fingerprint,
    )


def read_codes(path: Path) -> list[str]:
    """The texts of the QR codes in a photo, a scan or a PDF (every page)."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise validation.reject("certificate", _("There is no file {path}.").format(path=path))
    images: list[Image.Image] = []
    if path.suffix.lower() == ".pdf":
        import pypdfium2

        try:
            document = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError:
            raise validation.reject(
                "certificate", _("{path} is not a readable PDF.").format(path=path)
            ) from None
        # About 150 dots per inch: the QR code's modules are several pixels wide.
        images = [page.render(scale=150 / 72).to_pil() for page in document]
        document.close()
    else:
        try:
            with Image.open(path) as image:
                image.load()
                images = [image.convert("L")]
        except (UnidentifiedImageError, OSError):
            raise validation.reject(
                "certificate", _("{path} is not an image (PNG or JPEG).").format(path=path)
            ) from None
    codes = []
    for image in images:
        codes += [
            barcode.text
            for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        ]
    if not codes:
        raise validation.reject(
            "certificate",
            _("No QR code could be read in {path}: scan or photograph it again.").format(path=path),
        )
    return codes


# -- what is certified ---------------------------------------------------------------------


def _minutes(group: Group) -> int | None:
    """The length of one session, from the group's hours; None when it has none."""
    if not group.start_time or not group.end_time:
        return None
    (h1, m1), (h2, m2) = (map(int, t.split(":")) for t in (group.start_time, group.end_time))
    return (h2 * 60 + m2) - (h1 * 60 + m1)


def _marks(
    uow: UnitOfWork, group: Group, *, season: Season
) -> dict[uuid.UUID, list[tuple[dt.date, str]]]:
    """Each person's living marks at the sessions the group held, as its calendar has
    them: a day of its schedule or an extra session. A mark kept from a session cancelled
    afterwards, from a day the centre was closed (a closure entered after the marks were
    typed) or from a public holiday does not count: the sheet and the summaries leave those
    days out too."""
    calendar = group_calendar(uow, group, start=season.start_date, end=season.end_date)
    held = {day for day, found in calendar.items() if found.status in HELD}
    rows = uow.session.execute(
        select(Attendance.beneficiary_id, Session.date, Attendance.status)
        .join(Session, Session.id == Attendance.session_id)
        .where(
            Session.group_id == group.id,
            Session.cl % 2 == 1,
            Attendance.cl % 2 == 1,
        )
    )
    marks: dict[uuid.UUID, list[tuple[dt.date, str]]] = defaultdict(list)
    for person, day, status in rows:
        if day in held:
            marks[person].append((day, status))
    return marks


@dataclass(frozen=True)
class _Course:
    attended: int
    marked: int
    hours: int | None

    @property
    def rate(self) -> float | None:
        return 100 * self.attended / self.marked if self.marked else None


def _course(
    enrolment: Enrolment, marks: list[tuple[dt.date, str]], *, minutes: int | None
) -> _Course:
    """Hours followed = sessions held and attended (present or late) during the
    enrolment × the length of a session, rounded to the nearest hour."""
    within = [
        status
        for day, status in marks
        if enrolment.start_date <= day and (enrolment.end_date is None or day <= enrolment.end_date)
    ]
    attended = sum(1 for status in within if status in _ATTENDED)
    hours = (attended * minutes + 30) // 60 if minutes is not None else None
    return _Course(attended, len(within), hours)


def _person_name(person: Beneficiary) -> str:
    return f"{person.given_name_ar} {person.family_name_ar}"


def _latin(person: Beneficiary) -> str | None:
    return " ".join(p for p in (person.given_name_latin, person.family_name_latin) if p) or None


class _Issuer:
    """One batch of certificates: the centre, the template's place, this replica's
    serials and keys."""

    def __init__(self, uow: UnitOfWork, signer: UnlockedKeys, *, today: dt.date) -> None:
        self.uow, self.signer, self.today = uow, signer, today
        self.place: Where = where(uow.session)
        self.template = document_template(uow)
        self.serials = _Serials(uow, centre_id=self.place.centre.id, year=today.year)

    def certificate(
        self,
        *,
        kind: str,
        holder: str,
        subject: str,
        detail: str,
        hours: int | None,
        mention: str | None,
        beneficiary_id: uuid.UUID | None,
        enrolment_id: uuid.UUID | None = None,
        participant_id: uuid.UUID | None = None,
    ) -> Certificate:
        centre = self.place.centre
        serial = self.serials.next()
        holder_name = _field(holder)
        payload = signed_payload(
            self.signer,
            centre_code=centre.code,
            serial=serial,
            kind=kind,
            issued_on=self.today,
            holder_name=holder_name,
            subject=subject,
            detail=detail,
            hours=hours,
            mention=mention,
        )
        return self.uow.add(
            Certificate(
                centre_id=centre.id,
                serial=serial,
                kind=kind,
                beneficiary_id=beneficiary_id,
                enrolment_id=enrolment_id,
                participant_id=participant_id,
                issued_on=self.today,
                place=self.template.place_ar[:100],
                print_count=1,
                holder_name=holder_name,
                hours=hours,
                mention=_field(mention) or None,
                payload=payload,
            )
        )

    def document(self, row: Certificate, **details: Any) -> CertificateDocument:
        centre = self.uow.session.get(Centre, row.centre_id) or self.place.centre
        return CertificateDocument(
            id=row.id,
            serial=row.serial,
            kind=row.kind,
            issued_on=row.issued_on,
            place_ar=row.place or self.template.place_ar,
            place_fr=self.template.place_fr,
            duplicate=row.print_count > 1,
            payload=row.payload or "",
            centre_code=centre.code,
            centre_name_ar=centre.name_ar,
            centre_name_fr=centre.name_fr,
            holder_name=row.holder_name or "",
            hours=row.hours,
            mention=row.mention,
            **details,
        )


def _reprinted(rows: Iterable[Certificate]) -> dict[uuid.UUID, Certificate]:
    """The first certificate of each enrolment or participant. Two laptops may each have
    issued one before a sync: the one issued first (by date, then by the time its UUIDv7
    id carries) is reprinted, and every replica holding both makes the same choice."""
    first: dict[uuid.UUID, Certificate] = {}
    for row in sorted(rows, key=lambda r: (r.issued_on, r.id)):
        key = row.enrolment_id or row.participant_id
        if key is not None and key not in first:
            first[key] = row
    return first


def _existing(
    uow: UnitOfWork,
    *,
    kind: str,
    enrolments: Sequence[uuid.UUID] = (),
    participants: Sequence[uuid.UUID] = (),
) -> dict[uuid.UUID, Certificate]:
    """The certificates of ``kind`` already issued to these enrolments or participants."""
    query = select(Certificate).where(Certificate.kind == kind, Certificate.cl % 2 == 1)
    if enrolments:
        query = query.where(Certificate.enrolment_id.in_(enrolments))
    else:
        query = query.where(Certificate.participant_id.in_(participants))
    return _reprinted(uow.session.scalars(query))


def _kind(value: str | None, *, default: str, allowed: tuple[str, ...]) -> str:
    kind = validation.choice("kind", value or default, CertificateKind)
    assert kind is not None
    if kind.value not in allowed:
        if kind is CertificateKind.PARTICIPATION:
            message = _("A participation certificate is issued for an event: give --event.")
        else:
            message = _("An event gives participation certificates only.")
        raise validation.reject("kind", message)
    return kind.value


def _group(uow: UnitOfWork, ref: str, *, season: str | None, place: Where) -> Group:
    """A group of the centre by name in ``season`` (default: the current one), or by
    record number in any season: last season's graduates get their certificates after
    the new season has begun."""
    season_row = place.season
    if season:
        season_bounds(season.strip())
        season_row = uow.session.get(Season, season_id(season.strip()))
        if season_row is None or not season_row.alive:
            raise validation.reject(
                "season", _("The register has no season {season}.").format(season=season)
            )
    rows = uow.session.scalars(
        select(Group).where(
            Group.name == ref.strip(),
            Group.centre_id == place.centre.id,
            Group.season_id == season_row.id,
            Group.cl % 2 == 1,
        )
    ).all()
    found = list(rows) or [
        g for g in by_id_or_prefix(uow.session, Group, ref) if g.centre_id == place.centre.id
    ]
    return one_match(found, "group", ref)


def _enrolment_batch(
    issuer: _Issuer,
    group: Group,
    members: list[tuple[Enrolment, Beneficiary]],
    *,
    kind: str,
    single: bool,
) -> IssuedCertificates:
    """Certificates of ``kind`` for the enrolments in ``members``; a batch leaves out
    who does not qualify (and says why), a single one refuses."""
    uow = issuer.uow
    programme = uow.session.get(Programme, group.programme_id)
    season_row = uow.session.get(Season, group.season_id)
    assert programme is not None and season_row is not None
    marks = _marks(uow, group, season=season_row)
    minutes = _minutes(group)
    rules = certificate_rules(uow)
    existing = _existing(uow, kind=kind, enrolments=[e.id for e, _p in members])
    completion = kind == CertificateKind.COMPLETION.value
    documents, skipped = [], []
    for enrolment, person in members:
        name = _person_name(person)
        row = existing.get(enrolment.id)
        if row is not None:
            row.print_count += 1
        else:
            course = _course(enrolment, marks.get(person.id, []), minutes=minutes)
            reason = _refusal(enrolment, course, name=name, completion=completion, rules=rules)
            if reason is not None:
                if single:
                    raise validation.reject("enrolment", reason)
                skipped.append(Skipped(name, reason))
                continue
            row = issuer.certificate(
                kind=kind,
                holder=name,
                subject=programme.code,
                detail=season_row.label,
                hours=course.hours,
                mention=enrolment.mention if completion else None,
                beneficiary_id=person.id,
                enrolment_id=enrolment.id,
            )
        documents.append(
            issuer.document(
                row,
                holder_name_latin=_latin(person),
                sex=person.sex,
                birth_date=person.birth_date,
                cin=person.cin,
                programme_name_ar=programme.name_ar,
                programme_name_fr=programme.name_fr,
                group_name=group.name,
                season_label=season_row.label,
                start_date=enrolment.start_date,
                end_date=enrolment.end_date,
            )
        )
    uow.session.flush()
    return IssuedCertificates(tuple(documents), tuple(skipped))


def _refusal(
    enrolment: Enrolment,
    course: _Course,
    *,
    name: str,
    completion: bool,
    rules: CertificateRules,
) -> str | None:
    """Why ``enrolment`` may not have the certificate (None: it may)."""
    if not completion:
        return None
    if enrolment.status != EnrolmentStatus.COMPLETED.value:
        return _("{name} has not completed this training ({status}).").format(
            name=name, status=EnrolmentStatus(enrolment.status).label
        )
    threshold = rules.min_attendance
    if threshold is None:
        return None
    if course.rate is None:
        return _(
            "{name}: no attendance was marked, and an end of training certificate needs "
            "{minimum} % attendance."
        ).format(name=name, minimum=threshold)
    if course.rate < threshold:
        # The percent signs come with the numbers: a "%" followed by a space in a message
        # reads as a printf placeholder to the catalog compiler.
        return _(
            "{name} attended {rate} of the sessions; an end of training certificate "
            "needs {minimum}."
        ).format(name=name, rate=f"{int(course.rate)} %", minimum=f"{threshold} %")
    return None


def _members(
    uow: UnitOfWork, group: Group, *, statuses: tuple[str, ...]
) -> list[tuple[Enrolment, Beneficiary]]:
    """The group's living enrolments of these statuses with their people, in list order."""
    rows = uow.session.execute(
        select(Enrolment, Beneficiary)
        .join(Beneficiary, Beneficiary.id == Enrolment.beneficiary_id)
        .where(
            Enrolment.group_id == group.id,
            Enrolment.status.in_(statuses),
            Enrolment.cl % 2 == 1,
            Beneficiary.cl % 2 == 1,
        )
        .order_by(Beneficiary.sort_key, Beneficiary.id)
    )
    return [(enrolment, person) for enrolment, person in rows]


def issue_for_group(
    uow: UnitOfWork,
    signer: UnlockedKeys,
    *,
    group: str,
    kind: str | None = None,
    season: str | None = None,
    beneficiary: str | None = None,
    today: dt.date,
) -> IssuedCertificates:
    """The certificates of a group, one per person: end of training (the default) for
    every completed enrolment that meets the issue rules, attendance for everyone still
    enrolled. With ``beneficiary``, that one person's certificate only."""
    issuer = _Issuer(uow, signer, today=today)
    chosen = _kind(
        kind,
        default=CertificateKind.COMPLETION.value,
        allowed=(CertificateKind.COMPLETION.value, CertificateKind.ATTENDANCE.value),
    )
    group_row = _group(uow, group, season=season, place=issuer.place)
    if beneficiary is not None:
        person = resolve_beneficiary(uow.session, beneficiary, place=issuer.place)
        enrolment = uow.session.get(Enrolment, natural_id("enrolment", group_row.id, person.id))
        if enrolment is None or not enrolment.alive:
            raise validation.reject(
                "beneficiary",
                _("{name} was never enrolled in {group}.").format(
                    name=_person_name(person), group=group_row.name
                ),
            )
        return _enrolment_batch(issuer, group_row, [(enrolment, person)], kind=chosen, single=True)
    completion = chosen == CertificateKind.COMPLETION.value
    statuses = (EnrolmentStatus.COMPLETED.value,) if completion else (EnrolmentStatus.ACTIVE.value,)
    batch = _enrolment_batch(
        issuer, group_row, _members(uow, group_row, statuses=statuses), kind=chosen, single=False
    )
    if not batch.documents:
        if batch.skipped:
            raise InputRejected([FieldError("group", s.reason) for s in batch.skipped])
        message = (
            _("Nobody has completed the training of {group} yet.")
            if completion
            else _("Nobody is enrolled in {group} now.")
        )
        raise validation.reject("group", message.format(group=group_row.name))
    return batch


def issue_for_enrolment(
    uow: UnitOfWork,
    signer: UnlockedKeys,
    *,
    enrolment: str,
    kind: str | None = None,
    today: dt.date,
) -> IssuedCertificates:
    """One person's certificate for one enrolment (its record number)."""
    issuer = _Issuer(uow, signer, today=today)
    chosen = _kind(
        kind,
        default=CertificateKind.COMPLETION.value,
        allowed=(CertificateKind.COMPLETION.value, CertificateKind.ATTENDANCE.value),
    )
    rows = by_id_or_prefix(uow.session, Enrolment, enrolment)
    found = one_match(rows, "enrolment", enrolment)
    group_row = uow.session.get(Group, found.group_id)
    person = uow.session.get(Beneficiary, found.beneficiary_id)
    if group_row is None or group_row.centre_id != issuer.place.centre.id or person is None:
        raise validation.reject(
            "enrolment", _("Nothing in the register matches “{ref}”.").format(ref=enrolment)
        )
    return _enrolment_batch(issuer, group_row, [(found, person)], kind=chosen, single=True)


def issue_for_event(
    uow: UnitOfWork,
    signer: UnlockedKeys,
    *,
    event: str,
    kind: str | None = None,
    today: dt.date,
) -> IssuedCertificates:
    """A participation certificate for everyone at an event: participants, speakers and
    organisers, beneficiaries and guests."""
    issuer = _Issuer(uow, signer, today=today)
    chosen = _kind(
        kind,
        default=CertificateKind.PARTICIPATION.value,
        allowed=(CertificateKind.PARTICIPATION.value,),
    )
    event_row = resolve_event(uow, event, place=issuer.place)
    if event_row.date > today:
        raise validation.reject("event", _("This event has not taken place yet."))
    people = uow.session.execute(
        select(EventParticipant, Beneficiary)
        .outerjoin(Beneficiary, Beneficiary.id == EventParticipant.beneficiary_id)
        .where(
            EventParticipant.event_id == event_row.id,
            EventParticipant.cl % 2 == 1,
            (EventParticipant.beneficiary_id.is_(None)) | (Beneficiary.cl % 2 == 1),
        )
        .order_by(
            EventParticipant.beneficiary_id.is_not(None),
            EventParticipant.guest_name,
            Beneficiary.sort_key,
            EventParticipant.id,
        )
    ).all()
    if not people:
        raise validation.reject("event", _("Nobody is on the list of this event yet."))
    existing = _existing(uow, kind=chosen, participants=[p.id for p, _b in people])
    documents = []
    for participant, person in people:
        name = _person_name(person) if person is not None else participant.guest_name or ""
        row = existing.get(participant.id)
        if row is not None:
            row.print_count += 1
        else:
            row = issuer.certificate(
                kind=chosen,
                holder=name,
                subject=event_row.date.isoformat(),
                detail=participant.role,
                hours=None,
                mention=None,
                beneficiary_id=participant.beneficiary_id,
                participant_id=participant.id,
            )
        documents.append(
            issuer.document(
                row,
                holder_name_latin=_latin(person) if person is not None else None,
                sex=person.sex if person is not None else None,
                birth_date=person.birth_date if person is not None else None,
                cin=person.cin if person is not None else None,
                event_title_ar=event_row.title_ar,
                event_title_fr=event_row.title_fr,
                event_kind=event_row.kind,
                event_date=event_row.date,
                event_place=event_row.place,
                role=participant.role,
                organisation=participant.organisation,
            )
        )
    uow.session.flush()
    return IssuedCertificates(tuple(documents), ())


def list_certificates(uow: UnitOfWork, *, kind: str | None = None) -> list[CertificateRecord]:
    """The centre's certificates, the newest first."""
    place = where(uow.session)
    query = select(Certificate).where(
        Certificate.centre_id == place.centre.id, Certificate.cl % 2 == 1
    )
    if kind is not None:
        query = query.where(Certificate.kind == validation.code("kind", kind, CertificateKind))
    rows = uow.session.scalars(
        query.order_by(Certificate.issued_on.desc(), Certificate.serial.desc())
    )
    return [
        CertificateRecord(
            id=row.id,
            serial=row.serial,
            kind=row.kind,
            issued_on=row.issued_on,
            holder_name=row.holder_name,
            hours=row.hours,
            mention=row.mention,
            print_count=row.print_count,
        )
        for row in rows
    ]
