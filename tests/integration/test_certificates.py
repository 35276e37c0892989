"""Certificates issued from a real register: who gets one, hours, serials that never
collide (two laptops, a restored backup), reprints marked duplicate, the issue rules,
and the offline check of the QR code's signed text on the centre's own register and on
a delegation's."""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from nacl.signing import SigningKey
from sqlalchemy import select

from app.models import Attendance, Certificate, Enrolment, Group, Session
from app.services import certificates, document_settings, keys
from app.services.centres import initialise_delegation
from app.services.certificates import CertificateRefused, IssuedCertificates
from app.services.context import season_id
from app.services.demo import create_demo
from app.services.errors import InputRejected
from app.services.register import Register, open_register
from tests.integration.conftest import TODAY, make_centre

PASSPHRASE = "passphrase of the centre"
SEASON = "2025-2026"
SERIAL = re.compile(r"^2026-[0-9A-HJKMNP-TV-Z]{5}-\d{4}$")


# The keys are opened by a passphrase, as on a computer with no keyring.
pytestmark = pytest.mark.usefixtures("no_keyring")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo centre with last season's graduates, built once and copied per test."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIJILL_HOME", str(folder / "home"))
        register = make_centre(str(folder / "centre.sqlite"))
        create_demo(register, seed=3, beneficiaries=120, months=15, today=TODAY)
        register.close()
    return folder / "centre.sqlite"


def _copy(demo_file: Path, target: Path) -> Register:
    """A copy of the demo register: a laptop of its own (a copy takes a new site id)."""
    shutil.copy(demo_file, target)
    return open_register(str(target))


@pytest.fixture
def centre(demo_file: Path, tmp_path: Path) -> Iterator[Register]:
    register = _copy(demo_file, tmp_path / "centre.sqlite")
    yield register
    register.close()


def _groups_with_graduates(register: Register) -> list[tuple[str, int]]:
    """Last season's groups (record number) and how many completed each, most first."""
    with register.reading() as session:
        rows = session.execute(
            select(Group.id, Enrolment.status)
            .join(Enrolment, Enrolment.group_id == Group.id)
            .where(Group.season_id == season_id(SEASON), Enrolment.cl % 2 == 1)
        ).all()
    counts: dict[str, int] = {}
    for group_id, status in rows:
        counts[str(group_id)] = counts.get(str(group_id), 0) + (status == "completed")
    return sorted(((g, n) for g, n in counts.items() if n), key=lambda item: -item[1])


def _issue(register: Register, **kwargs: object) -> IssuedCertificates:
    with register.unit_of_work() as uow:
        signer = keys.unlock(uow, passphrase=PASSPHRASE)
        if "event" in kwargs:
            return certificates.issue_for_event(uow, signer, today=TODAY, **kwargs)  # type: ignore[arg-type]
        return certificates.issue_for_group(uow, signer, today=TODAY, **kwargs)  # type: ignore[arg-type]


def _serials(register: Register) -> list[str]:
    with register.reading() as session:
        return list(session.scalars(select(Certificate.serial)))


def test_a_group_gives_one_certificate_per_completed_enrolment(centre: Register) -> None:
    group, completed = _groups_with_graduates(centre)[0]
    issued = _issue(centre, group=group)
    assert len(issued.documents) == completed and issued.new == completed
    assert not issued.skipped
    serials = [d.serial for d in issued.documents]
    assert all(SERIAL.match(s) for s in serials), serials
    assert len(set(serials)) == len(serials)
    numbers = sorted(int(s[-4:]) for s in serials)
    assert numbers == list(range(1, completed + 1))
    first = issued.documents[0]
    assert first.kind == "completion" and first.season_label == SEASON
    assert first.programme_name_ar and first.mention and first.issued_on == TODAY
    assert first.payload.startswith(f"SJ1|ETF-TAZA-01|{first.serial}|C|20261122|")
    # A second group continues the same count: a number is never given twice.
    other, more = _groups_with_graduates(centre)[1]
    again = _issue(centre, group=other)
    assert sorted(int(d.serial[-4:]) for d in again.documents) == list(
        range(completed + 1, completed + more + 1)
    )


def test_hours_are_sessions_attended_times_the_session_length(centre: Register) -> None:
    group, _count = _groups_with_graduates(centre)[0]
    document = _issue(centre, group=group).documents[0]
    with centre.reading() as session:
        row = session.scalars(
            select(Certificate).where(Certificate.serial == document.serial)
        ).one()
        enrolment = session.get(Enrolment, row.enrolment_id)
        group_row = session.get(Group, uuid.UUID(group))
        assert enrolment is not None and group_row is not None
        attended = session.scalars(
            select(Attendance.id)
            .join(Session, Session.id == Attendance.session_id)
            .where(
                Session.group_id == group_row.id,
                Session.status != "cancelled",
                Session.date.between(enrolment.start_date, enrolment.end_date),
                Attendance.beneficiary_id == enrolment.beneficiary_id,
                Attendance.status.in_(("present", "late")),
            )
        ).all()
    assert group_row.start_time and group_row.end_time
    start, end = (
        dt.datetime.strptime(t, "%H:%M") for t in (group_row.start_time, group_row.end_time)
    )
    minutes = (end - start).seconds // 60
    assert len(attended) > 20
    # Rounded to the nearest hour, a half hour up.
    assert document.hours == (len(attended) * minutes + 30) // 60


def test_a_reprint_is_the_same_certificate_marked_duplicate(centre: Register) -> None:
    group, completed = _groups_with_graduates(centre)[0]
    first = _issue(centre, group=group)
    second = _issue(centre, group=group)
    assert second.new == 0 and all(d.duplicate for d in second.documents)
    assert not any(d.duplicate for d in first.documents)
    assert [(d.serial, d.payload) for d in second.documents] == [
        (d.serial, d.payload) for d in first.documents
    ]
    with centre.reading() as session:
        counts = session.scalars(select(Certificate.print_count)).all()
    assert len(counts) == completed and set(counts) == {2}


def test_two_laptops_of_one_centre_never_give_the_same_serial(
    demo_file: Path, tmp_path: Path
) -> None:
    """Both laptops issue offline, even for the same people; the rows then meet at the
    delegation or on either laptop (as a sync would bring them): no serial twice."""
    first = _copy(demo_file, tmp_path / "laptop-1.sqlite")
    second = _copy(demo_file, tmp_path / "laptop-2.sqlite")
    try:
        assert first.site_id != second.site_id
        group, completed = _groups_with_graduates(first)[0]
        mine = _issue(first, group=group)
        theirs = _issue(second, group=group)
        tags = {d.serial[5:10] for d in mine.documents}
        assert len(tags) == 1 and tags != {d.serial[5:10] for d in theirs.documents}
        with second.reading() as session:
            rows = [
                {c.key: getattr(row, c.key) for c in Certificate.__table__.columns}
                for row in session.scalars(select(Certificate))
            ]
        with first.unit_of_work() as uow:
            uow.insert_rows(Certificate, rows)
        serials = _serials(first)
        assert len(serials) == 2 * completed == len(set(serials))
        # The laptop's own count goes on from its own last number.
        other, _more = _groups_with_graduates(first)[1]
        following = _issue(first, group=other).documents[0].serial
        assert following == f"{mine.documents[0].serial[:11]}{completed + 1:04d}"
        # A reprint after the merge is the older of the two certificates of a person.
        reprinted = _issue(first, group=group)
        assert reprinted.new == 0
        assert {d.serial for d in reprinted.documents} == {d.serial for d in mine.documents}
    finally:
        first.close()
        second.close()


def test_a_restored_backup_does_not_give_the_lost_serials_again(
    demo_file: Path, tmp_path: Path
) -> None:
    location = tmp_path / "centre.sqlite"
    register = _copy(demo_file, location)
    backup = tmp_path / "backup.sqlite"
    register.close()
    shutil.copy(location, backup)
    register = open_register(str(location))
    group, _count = _groups_with_graduates(register)[0]
    printed = {d.serial for d in _issue(register, group=group).documents}
    register.close()
    shutil.copy(backup, location)  # last week's copy: the certificates above are lost
    for suffix in ("-wal", "-shm"):
        Path(f"{location}{suffix}").unlink(missing_ok=True)
    restored = open_register(str(location))
    try:
        assert restored.new_site_reason is not None
        again = {d.serial for d in _issue(restored, group=group).documents}
        assert again and not again & printed
    finally:
        restored.close()


def test_the_attendance_rule_leaves_out_who_came_too_little(centre: Register) -> None:
    group, completed = _groups_with_graduates(centre)[0]
    with centre.unit_of_work() as uow:
        document_settings.change_documents(uow, min_attendance=92)
    issued = _issue(centre, group=group)
    assert issued.skipped, "the demo has graduates who came less than 92 % of the time"
    assert len(issued.documents) + len(issued.skipped) == completed
    for skipped in issued.skipped:
        assert skipped.name in skipped.reason and "92" in skipped.reason
    assert len(_serials(centre)) == len(issued.documents)
    with centre.unit_of_work() as uow:
        document_settings.change_documents(uow, reset=["min_attendance"])
    assert len(_issue(centre, group=group).documents) == completed


def test_nobody_completed_yet_is_refused_and_nothing_is_recorded(centre: Register) -> None:
    with centre.reading() as session:
        current = session.scalars(
            select(Group.name).where(Group.season_id == season_id("2026-2027"))
        ).first()
    assert current is not None
    with pytest.raises(InputRejected, match="group"):
        _issue(centre, group=current)
    # The same group's attendance certificates: everyone enrolled now.
    issued = _issue(centre, group=current, kind="attendance")
    assert issued.documents and all(d.kind == "attendance" for d in issued.documents)
    assert all(d.end_date is None and d.hours is not None for d in issued.documents)
    with pytest.raises(InputRejected, match="kind"):
        _issue(centre, group=current, kind="participation")
    assert len(_serials(centre)) == len(issued.documents)


def test_an_event_gives_every_participant_and_speaker_a_certificate(centre: Register) -> None:
    from app.services.events import list_events, list_participants

    with centre.unit_of_work(read_only=True) as uow:
        event = list_events(uow)[0]
        people = list_participants(uow, event=event.id)
    issued = _issue(centre, event=str(event.id))
    assert [d.holder_name for d in issued.documents] == [p.name for p in people]
    roles = {d.role for d in issued.documents}
    assert {"participant", "speaker"} <= roles
    guest = next(d for d in issued.documents if d.role == "speaker")
    assert guest.sex is None and guest.birth_date is None and guest.organisation
    assert all(d.kind == "participation" and d.event_date == event.date for d in issued.documents)


# -- verification ------------------------------------------------------------------------


@pytest.fixture
def issued(centre: Register) -> certificates.CertificateDocument:
    group, _count = _groups_with_graduates(centre)[0]
    return _issue(centre, group=group).documents[0]


@pytest.fixture
def delegation(tmp_path: Path) -> Iterator[Register]:
    register = open_register(str(tmp_path / "delegation.sqlite"))
    with register.unit_of_work() as uow:
        initialise_delegation(uow, province_code="03.561")
    yield register
    register.close()


def _trust(delegation: Register, centre: Register) -> keys.Identity:
    with centre.unit_of_work() as uow:
        identity = keys.read_identity_file(
            keys.identity_file(keys.unlock(uow, passphrase=PASSPHRASE))
        )
    with delegation.unit_of_work() as uow:
        keys.trust(uow, identity)
    return identity


def _verify(register: Register, payload: str) -> certificates.VerifiedCertificate:
    with register.unit_of_work(read_only=True) as uow:
        return certificates.verify_payload(uow, payload)


def test_the_centre_reads_back_what_it_certified(
    centre: Register, issued: certificates.CertificateDocument
) -> None:
    found = _verify(centre, issued.payload)
    assert (found.serial, found.holder_name, found.centre_code) == (
        issued.serial,
        issued.holder_name,
        "ETF-TAZA-01",
    )
    assert (found.issued_on, found.hours, found.mention) == (TODAY, issued.hours, issued.mention)
    assert found.subject_name == issued.programme_name_ar and found.detail == SEASON


def test_a_delegation_that_trusts_the_centre_verifies_offline(
    centre: Register, delegation: Register, issued: certificates.CertificateDocument
) -> None:
    with pytest.raises(CertificateRefused, match="ETF-TAZA-01"):
        _verify(delegation, issued.payload)  # not trusted yet
    identity = _trust(delegation, centre)
    found = _verify(delegation, issued.payload)
    assert found.serial == issued.serial and found.holder_name == issued.holder_name
    assert found.centre_name == identity.name and found.fingerprint == identity.fingerprint
    with delegation.unit_of_work() as uow:
        keys.revoke(uow, identity.key_id)
    with pytest.raises(CertificateRefused, match="ملغى"):
        _verify(delegation, issued.payload)


@pytest.mark.parametrize(
    "alter",
    [
        lambda fields: fields.__setitem__(5, fields[5] + "ة"),  # the name
        lambda fields: fields.__setitem__(8, str(int(fields[8]) + 100)),  # the hours
        lambda fields: fields.__setitem__(2, fields[2][:-1] + "9"),  # the serial
        lambda fields: fields.__setitem__(4, "20250101"),  # the date
    ],
)
def test_a_changed_byte_is_refused(
    centre: Register,
    issued: certificates.CertificateDocument,
    alter: Callable[[list[str]], None],
) -> None:
    fields = issued.payload.split("|")
    alter(fields)
    with pytest.raises(CertificateRefused, match="التوقيع لا يطابق"):
        _verify(centre, "|".join(fields))


def test_a_forged_signature_is_refused(
    centre: Register, issued: certificates.CertificateDocument
) -> None:
    """Someone without the centre's key signs a certificate of their own making with
    another key and puts the centre's key id in it."""
    fields = issued.payload.split("|")[:-1]
    fields[5] = "شخص آخر"
    message = certificates.SIGNING_CONTEXT + "|".join(fields).encode()
    forged = SigningKey.generate().sign(message).signature
    signature = base64.urlsafe_b64encode(forged).decode().rstrip("=")
    with pytest.raises(CertificateRefused, match="التوقيع لا يطابق"):
        _verify(centre, "|".join([*fields, signature]))


def test_another_centres_key_cannot_sign_for_this_centre(
    tmp_path: Path, centre: Register, delegation: Register
) -> None:
    other = open_register(str(tmp_path / "other.sqlite"))
    try:
        from app.services.centres import initialise_centre

        with other.unit_of_work() as uow:
            initialise_centre(
                uow,
                code="ETF-TAZA-02",
                name="مركز آخر",
                kind="education_training",
                province_code="03.561",
                today=TODAY,
            )
        _trust(delegation, other)
        with other.unit_of_work() as uow:
            signer = keys.unlock(uow, passphrase=PASSPHRASE)
        payload = certificates.signed_payload(
            signer,
            centre_code="ETF-TAZA-01",
            serial="2026-AAAAA-0001",
            kind="completion",
            issued_on=TODAY,
            holder_name="اسم",
            subject="EFT-COU",
            detail=SEASON,
            hours=100,
            mention=None,
        )
        with pytest.raises(CertificateRefused, match="ETF-TAZA-02"):
            _verify(delegation, payload)
    finally:
        other.close()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("https://example.org/", "not the code"),
        ("SJ1|ETF-TAZA-01|2026-AAAAA-0001", "incomplete"),
        ("SJ9|a|b", "newer"),
    ],
)
def test_what_is_not_a_certificate_is_refused_with_its_reason(
    centre: Register, text: str, reason: str
) -> None:
    from app.i18n import set_language

    set_language("fr")
    try:
        expected = {"not the code": "pas le code", "incomplete": "incomplet", "newer": "récente"}
        with pytest.raises(CertificateRefused, match=expected[reason]):
            _verify(centre, text)
    finally:
        set_language("ar")


def test_the_serial_tag_is_five_unambiguous_letters() -> None:
    tags = {certificates.site_tag(f"{n:032x}") for n in range(2000)}
    assert len(tags) == 2000
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}", tag) for tag in tags)
