"""Whatever a coordinator does, in whatever order, the change log holds all of it.

Hypothesis draws sequences of actions (register, correct, remove and restore people, open
groups, enrol, end enrolments, mark and clear attendance, cancel sessions), some of which
the services refuse. After each sequence the tables must equal the replayed log, change
numbers must run 1..n without a gap, and a refused action must have left nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models import Beneficiary, ChangeLog
from app.services import attendance, beneficiaries, groups, sessions
from app.services.beneficiaries import BeneficiaryInput
from app.services.errors import InputRejected
from app.services.integrity import log_differences
from app.services.register import Register
from tests.integration.conftest import TODAY, make_centre

GIVEN = ["فاطمة", "أمينة", "خديجة", "سلمى", "نادية"]
CINS = ["K1", "K2", "K3", "K4", "K5"]
DAYS = ["2026-11-02", "2026-11-04", "2026-11-09", "2026-11-11", "2026-11-16", "2026-11-18"]

action = st.one_of(
    st.tuples(st.just("register"), st.integers(0, 4), st.booleans()),
    st.tuples(st.just("correct"), st.integers(0, 4), st.sampled_from(["0661000000", "bad"])),
    st.tuples(st.just("remove"), st.integers(0, 4)),
    st.tuples(st.just("restore"), st.integers(0, 4)),
    st.tuples(st.just("group"), st.sampled_from(["G1", "G2"]), st.sampled_from(["mon,wed", "x"])),
    st.tuples(st.just("enrol"), st.sampled_from(["G1", "G2"]), st.integers(0, 4)),
    st.tuples(st.just("end"), st.sampled_from(["G1", "G2"]), st.integers(0, 4)),
    st.tuples(
        st.just("mark"),
        st.sampled_from(["G1", "G2"]),
        st.sampled_from(DAYS),
        st.sampled_from(["present", "absent", "late", "sick"]),
        st.integers(0, 4),
    ),
    st.tuples(
        st.just("clear"), st.sampled_from(["G1", "G2"]), st.sampled_from(DAYS), st.integers(0, 4)
    ),
    st.tuples(st.just("cancel"), st.sampled_from(["G1", "G2"]), st.sampled_from(DAYS)),
)


def _apply(register: Register, step: tuple) -> None:
    kind, *args = step
    with register.unit_of_work() as uow:
        if kind == "register":
            n, with_cin = args
            beneficiaries.register_beneficiary(
                uow,
                BeneficiaryInput(
                    family_name_ar="العلوي",
                    given_name_ar=GIVEN[n],
                    sex="F",
                    birth_date="1990-01-01",
                    cin=CINS[n] if with_cin else None,
                ),
                today=TODAY,
            )
        elif kind in ("correct", "remove", "restore"):
            rows = uow.session.scalars(
                select(Beneficiary).where(Beneficiary.given_name_ar == GIVEN[args[0]])
            ).all()
            if not rows:
                return
            row = rows[0]
            if kind == "remove":
                uow.delete(row)
            elif kind == "restore":
                uow.restore(row)
            else:
                record = beneficiaries.get_beneficiary(uow, str(row.id))
                data = beneficiaries.input_from_record(record)
                beneficiaries.update_beneficiary(
                    uow,
                    row.id,
                    BeneficiaryInput(**{**data.__dict__, "phone": args[1]}),
                    today=TODAY,
                )
        elif kind == "group":
            groups.add_group(uow, programme="EFT-COU", name=args[0], days=args[1])
        elif kind == "enrol":
            groups.enrol(
                uow,
                group=args[0],
                beneficiaries=[CINS[args[1]]],
                start_date=dt.date(2026, 9, 14),
                today=TODAY,
            )
        elif kind == "end":
            groups.end_enrolment(
                uow,
                group=args[0],
                beneficiary=CINS[args[1]],
                outcome="dropped",
                end_date=dt.date(2026, 11, 10),
                reason="العمل",
            )
        elif kind == "mark":
            group, day, status, n = args
            attendance.mark_attendance(
                uow, group=group, date=day, status=status, beneficiaries=[CINS[n]], today=TODAY
            )
        elif kind == "clear":
            group, day, n = args
            attendance.clear_attendance(
                uow, group=group, date=dt.date.fromisoformat(day), beneficiary=CINS[n]
            )
        else:
            sessions.cancel_session(uow, group=args[0], date=args[1], reason="إضراب")


A_FULL_DAY = [
    ("register", 0, True),
    ("register", 1, True),
    ("group", "G1", "mon,wed"),
    ("enrol", "G1", 0),
    ("enrol", "G1", 1),
    ("mark", "G1", "2026-11-02", "present", 0),
    ("mark", "G1", "2026-11-02", "late", 0),
    ("mark", "G1", "2026-11-04", "absent", 1),
    ("clear", "G1", "2026-11-04", 1),
    ("mark", "G1", "2026-11-04", "present", 1),
    ("cancel", "G1", "2026-11-09"),
    ("correct", 0, "0661000000"),
    ("end", "G1", 1),
    ("remove", 1),
    ("restore", 1),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, min_size=1, max_size=25))
@example(A_FULL_DAY)
def test_any_sequence_of_actions_is_all_in_the_log(steps: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        register = make_centre(str(Path(folder) / "centre.sqlite"))
        try:
            for step in steps:
                # A refused action rolls its unit of work back: it must leave nothing.
                with contextlib.suppress(InputRejected):
                    _apply(register, step)
            with register.unit_of_work(read_only=True) as uow:
                assert log_differences(uow) == []
                site = register.site()
                numbers = uow.session.scalars(
                    select(ChangeLog.origin_seq)
                    .where(ChangeLog.origin_site == site.site_id)
                    .order_by(ChangeLog.origin_seq)
                ).all()
                assert numbers == list(range(1, site.last_seq + 1))
                assert uow.session.scalar(select(func.count()).select_from(ChangeLog)) >= 87
        finally:
            register.close()
