"""Merging two records of one woman on one register: the kept record takes what the other
knew where it knew nothing, and her groups, marks, event, follow-up and certificate all
end up on the kept record; a wrong request changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.i18n import _
from app.models import Certificate
from app.services import (
    attendance,
    beneficiaries,
    certificates,
    duplicates,
    events,
    followups,
    groups,
    integrity,
    keys,
    merging,
)
from app.services.beneficiaries import BeneficiaryInput
from app.services.dump import dump_json
from app.services.errors import InputRejected
from app.services.register import Register
from tests.integration.conftest import TODAY, make_centre

PASSPHRASE = "passphrase of the centre"
SEWING, EMBROIDERY = "الخياطة - الفوج 1", "الطرز - الفوج 1"
MONDAYS = [dt.date(2026, 10, d) for d in (5, 12, 19, 26)]

pytestmark = pytest.mark.usefixtures("no_keyring")


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    reg = make_centre(str(tmp_path / "centre.sqlite"))
    yield reg
    reg.close()


def _person(register: Register, family: str, **more: str) -> str:
    with register.unit_of_work() as uow:
        data = BeneficiaryInput(
            family_name_ar=family, given_name_ar="فاطمة", sex="F", birth_date="1990-05-01", **more
        )
        return str(beneficiaries.register_beneficiary(uow, data, today=TODAY).id)


def _mark(uow: object, group: str, day: dt.date, status: str, person: str) -> None:
    attendance.mark_attendance(
        uow, group=group, date=day, status=status, beneficiaries=[person], today=TODAY
    )


def _twice_registered(register: Register) -> tuple[str, str, str]:
    """Fatima registered twice: first with her address only, then with her CIN, phone and
    another address. Both records are in the sewing group, marked on the same Mondays;
    the second also finished embroidery (a certificate, a follow-up) and went to an
    awareness day. Returns (first, second, pair id)."""
    first = _person(register, "العلوي", address="حي السلام")
    second = _person(register, "العلوى", cin="K123456", phone="0611223344", address="درب الحجر")
    with register.unit_of_work() as uow:
        for name in (SEWING, EMBROIDERY):
            groups.add_group(uow, programme="EFT-COU", name=name, days="mon")
        groups.enrol(uow, group=SEWING, beneficiaries=[first], start_date=MONDAYS[1], today=TODAY)
        groups.enrol(uow, group=SEWING, beneficiaries=[second], start_date=MONDAYS[0], today=TODAY)
        groups.enrol(
            uow, group=EMBROIDERY, beneficiaries=[second], start_date=MONDAYS[0], today=TODAY
        )
        # One woman, two lines on the sheet: one line says absent where the other says
        # present.
        _mark(uow, SEWING, MONDAYS[1], "absent", first)
        _mark(uow, SEWING, MONDAYS[1], "present", second)
        _mark(uow, SEWING, MONDAYS[2], "present", first)
        _mark(uow, SEWING, MONDAYS[3], "late", second)
        for day in MONDAYS:
            _mark(uow, EMBROIDERY, day, "present", second)
        groups.end_enrolment(
            uow,
            group=EMBROIDERY,
            beneficiary=second,
            outcome="completed",
            end_date=MONDAYS[3],
            mention="حسن",
        )
        followups.record_follow_up(
            uow, beneficiary=second, outcome="cooperative", date=TODAY, today=TODAY
        )
        day = events.create_event(
            uow,
            events.EventInput(kind="awareness_day", title_ar="يوم تحسيسي", date="2026-11-10"),
            today=TODAY,
        )
        events.add_participants(uow, event=day.id, beneficiaries=[second])
        found = duplicates.find_candidates(uow, [uuid.UUID(first), uuid.UUID(second)])
    assert found == 1
    with register.unit_of_work() as uow:
        signer = keys.unlock(uow, passphrase=PASSPHRASE)
        issued = certificates.issue_for_group(
            uow, signer, group=EMBROIDERY, beneficiary=second, today=TODAY
        )
    assert issued.new == 1
    with register.unit_of_work(read_only=True) as uow:
        (pair,) = duplicates.list_candidates(uow)
    return first, second, str(pair.id)


def test_the_kept_record_takes_everything_of_the_other(register: Register) -> None:
    first, second, pair = _twice_registered(register)
    with register.unit_of_work(read_only=True) as uow:
        shown = merging.preview(uow, pair)
    sides = {str(shown.first.person.id): shown.first, str(shown.second.person.id): shown.second}
    assert (sides[second].enrolments, sides[second].marks, sides[second].others) == (2, 6, 3)

    with register.unit_of_work() as uow:
        merged = merging.merge(uow, pair, keep=first)
    # CIN and phone were empty on the kept record; its own address stays.
    assert merged.filled == ("cin", "phone")
    assert (merged.moved, merged.combined) == (11, 2)

    with register.unit_of_work(read_only=True) as uow:
        kept = beneficiaries.get_beneficiary(uow, first)
        assert (kept.cin, kept.phone, kept.address) == ("K123456", "0611223344", "حي السلام")
        with pytest.raises(InputRejected):
            beneficiaries.get_beneficiary(uow, second)
        # Searching by the CIN of the removed record finds the kept one.
        assert [p.id for p in beneficiaries.search_beneficiaries(uow, "K123456")] == [kept.id]
        sewing = {
            (m.beneficiary_id, m.date): m.status
            for m in attendance.marks_of_group(uow, group=SEWING)
        }
        embroidery = attendance.marks_of_group(uow, group=EMBROIDERY)
        members = {
            name: [
                (m.beneficiary_id, m.status, m.start_date)
                for m in groups.group_members(uow, group=name)
            ]
            for name in (SEWING, EMBROIDERY)
        }
        follow_ups = followups.list_follow_ups(uow, beneficiary=first)
        (event,) = events.list_events(uow)
        participants = events.list_participants(uow, event=event.id)
        certificate = uow.session.scalars(select(Certificate)).one()
        merged_pairs = duplicates.list_candidates(uow, status="merged")
        assert duplicates.list_candidates(uow) == []
        assert integrity.log_differences(uow) == []
        assert merging.orphans(uow) == 0
    assert sewing == {
        (kept.id, MONDAYS[1]): "present",
        (kept.id, MONDAYS[2]): "present",
        (kept.id, MONDAYS[3]): "late",
    }
    assert {m.beneficiary_id for m in embroidery} == {kept.id} and len(embroidery) == 4
    # The earlier start of the two enrolments; the completed embroidery with its mention.
    assert members[SEWING] == [(kept.id, "active", MONDAYS[0])]
    assert members[EMBROIDERY] == [(kept.id, "completed", MONDAYS[0])]
    (follow_up,) = follow_ups
    assert follow_up.enrolment_id is not None
    assert [p.beneficiary_id for p in participants] == [kept.id]
    assert certificate.beneficiary_id == kept.id
    assert certificate.enrolment_id == follow_up.enrolment_id, "both moved to her enrolment"
    assert certificate.holder_name is not None and "العلوى" in certificate.holder_name, (
        "a certificate keeps the name it was signed with"
    )
    (closed,) = merged_pairs
    assert closed.kept_id == kept.id and {closed.first.id, closed.second.id} == {
        kept.id,
        uuid.UUID(second),
    }


def test_a_wrong_request_is_refused_and_changes_nothing(register: Register) -> None:
    first, second, pair = _twice_registered(register)
    stranger = _person(register, "التازي")

    def refused(candidate: str, keep: str) -> str:
        with register.unit_of_work(read_only=True) as uow:
            before = dump_json(uow)
        with pytest.raises(InputRejected) as error, register.unit_of_work() as uow:
            merging.merge(uow, candidate, keep=keep)
        with register.unit_of_work(read_only=True) as uow:
            assert dump_json(uow) == before
        (field,) = error.value.errors
        return field.field

    assert refused(str(uuid.uuid4()), first) == "id"
    assert refused("not an id", first) == "id"
    assert refused(pair, stranger) == "keep"
    assert refused(pair, "") == "keep"
    with register.unit_of_work() as uow:
        merging.merge(uow, pair, keep=second.upper()[:24])
    assert refused(pair, first) == "id", "a merged pair is closed"
    with pytest.raises(InputRejected), register.unit_of_work() as uow:
        duplicates.dismiss(uow, pair)


def test_a_dismissed_pair_cannot_be_merged(register: Register) -> None:
    first, _second, pair = _twice_registered(register)
    with register.unit_of_work() as uow:
        duplicates.dismiss(uow, pair)
    with pytest.raises(InputRejected) as refused, register.unit_of_work() as uow:
        merging.merge(uow, pair, keep=first)
    assert refused.value.errors[0].message == _(
        "This pair was marked as two different people: there is nothing to merge."
    )


def test_rows_of_a_person_removed_without_a_merge_are_orphans(register: Register) -> None:
    _first, second, _pair = _twice_registered(register)
    with register.unit_of_work(read_only=True) as uow:
        assert merging.orphans(uow) == 0
    with register.unit_of_work() as uow:
        beneficiaries.remove_beneficiary(uow, uuid.UUID(second))
    with register.unit_of_work(read_only=True) as uow:
        # Two enrolments, six marks, a follow-up, a participation and a certificate.
        assert merging.orphans(uow) == 11
